package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.RecordingSmsProvider.Outcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecordingSmsProviderTest {

  final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  final ManualScheduler scheduler = new ManualScheduler(clock);

  static SubmitRequest request(String text) {
    return SubmitRequest.builder().messageId("m-" + text.length()).to(PhoneNumber.of("+14155550100")).body(text)
        .build();
  }

  static SmsException error(CompletableFuture<SendReceipt> f) {
    try {
      f.join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return (SmsException) e.getCause();
    }
  }

  @Test
  @DisplayName("scripted outcomes apply in order, then the default")
  void script() {
    RecordingSmsProvider p = RecordingSmsProvider.builder().name("p").clock(clock).build();
    p.enqueue(Outcome.throttle(Duration.ofSeconds(2)), Outcome.reject("21211"), Outcome.timeout(),
        Outcome.transportError());
    assertThat(error(p.send(request("a")))).isInstanceOfSatisfying(SmsThrottledException.class,
        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(2)));
    assertThat(error(p.send(request("b")))).isInstanceOfSatisfying(SmsRejectedException.class,
        e -> assertThat(e.providerCode()).contains("21211"));
    assertThat(error(p.send(request("c"))).possiblyDelivered()).isTrue();
    SmsException refused = error(p.send(request("d")));
    assertThat(refused).isInstanceOf(SmsTransportException.class);
    assertThat(refused.possiblyDelivered()).isFalse();
    SendReceipt r = p.send(request("x".repeat(200))).join();
    assertThat(r.providerMessageIds()).containsExactly("1001", "1002");
    assertThat(r.parts()).isEqualTo(2);
    assertThat(r.acceptedAt()).isEqualTo(clock.instant());
    assertThat(p.submitted()).hasSize(5);
  }

  @Test
  @DisplayName("latency on a manual scheduler: the answer comes exactly that much later")
  void latency() {
    RecordingSmsProvider p = RecordingSmsProvider.builder().clock(clock)
        .latency(Duration.ofMillis(250), scheduler).build();
    CompletableFuture<SendReceipt> f = p.send(request("hi"));
    scheduler.advance(Duration.ofMillis(249));
    assertThat(f).isNotDone();
    assertThat(p.pendingCount()).isEqualTo(1);
    scheduler.advance(Duration.ofMillis(1));
    assertThat(f).isCompleted();
    assertThat(f.join().acceptedAt()).isEqualTo(clock.instant());
  }

  @Test
  @DisplayName("a responder chooses outcomes from the request")
  void responder() {
    RecordingSmsProvider p = RecordingSmsProvider.builder()
        .responder(r -> r.body().contains("spam") ? Outcome.reject("filtered") : Outcome.accept()).build();
    assertThat(p.send(request("hello"))).isCompleted();
    assertThat(error(p.send(request("spam!")))).isInstanceOf(SmsRejectedException.class);
  }

  @Test
  @DisplayName("injecting traffic before start() is an error; starting twice is an error")
  void lifecycle() {
    RecordingSmsProvider p = RecordingSmsProvider.named("p");
    assertThatThrownBy(() -> p.deliverInbound(PhoneNumber.of("+14155550100"),
        dev.smsgateway.Originator.alphanumeric("ACME"), "hi")).isInstanceOf(IllegalStateException.class);
    p.start(ProviderListener.NONE);
    assertThatThrownBy(() -> p.start(ProviderListener.NONE)).isInstanceOf(IllegalStateException.class);
    assertThat(p.toString()).doesNotContain("14155550100");
  }
}
