package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.GatewayListener;
import dev.smsgateway.Originator;
import dev.smsgateway.OriginatorThrottles;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Per-number throttles of {@link SmsGateway}, on a virtual clock and a manual scheduler: every wait is exact. */
class OriginatorThrottleTest {

  static final String CUSTOMER = "+14155550100";
  static final String LONG_CODE_A = "+14155550198";
  static final String LONG_CODE_B = "+14155550199";
  static final String TOLL_FREE = "+18445550100";

  final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final RecordingSmsProvider primary = RecordingSmsProvider.builder().name("primary").clock(clock).build();
  final RecordingSmsProvider secondary = RecordingSmsProvider.builder().name("secondary").clock(clock).build();
  final List<String> waits = new CopyOnWriteArrayList<>();
  SmsGateway gateway;

  @AfterEach
  void tearDown() {
    if (gateway != null) {
      gateway.close();
    }
  }

  void start(Consumer<SmsGateway.Builder> config) {
    SmsGateway.Builder b = SmsGateway.builder().provider(primary).provider(secondary).defaultRegion("US")
        .clock(clock).scheduler(scheduler).random(new Random(42))
        .originatorThrottles(OriginatorThrottles.defaults()).listener(new GatewayListener() {
          @Override
          public void onOriginatorThrottled(Originator originator, Duration wait) {
            waits.add(originator.address() + " " + wait.toMillis());
          }
        });
    config.accept(b);
    gateway = b.build();
    gateway.start();
  }

  static OutboundSms sms(String from, String text) {
    return OutboundSms.builder().to(CUSTOMER).from(from).body(text).build();
  }

  List<String> bodies(RecordingSmsProvider provider) {
    return provider.submitted().stream().map(SubmitRequest::body).toList();
  }

  @Test
  @DisplayName("a gateway built without per-number rates limits no number (OriginatorThrottles.none())")
  void offUnlessConfigured() {
    gateway = SmsGateway.builder().provider(primary).defaultRegion("US").clock(clock).scheduler(scheduler).build();
    gateway.start();
    for (int i = 0; i < 5; i++) {
      gateway.send(sms(LONG_CODE_A, "a" + i));
    }
    assertThat(bodies(primary)).hasSize(5);
  }

  @Test
  @DisplayName("with the defaults a long code sends 1 part a second: a burst of 4 leaves one a second, in order")
  void longCodeDefault() {
    start(b -> {});
    List<CompletableFuture<SendReceipt>> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.add(gateway.send(sms(LONG_CODE_A, "a" + i)));
    }
    assertThat(bodies(primary)).containsExactly("a0");
    scheduler.advance(Duration.ofMillis(999));
    assertThat(bodies(primary)).containsExactly("a0");
    scheduler.advance(Duration.ofMillis(1));
    assertThat(bodies(primary)).containsExactly("a0", "a1");
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(bodies(primary)).containsExactly("a0", "a1", "a2", "a3");
    assertThat(all).allSatisfy(f -> assertThat(f).isCompleted());
    assertThat(waits).containsExactly(LONG_CODE_A + " 1000", LONG_CODE_A + " 2000", LONG_CODE_A + " 3000");
  }

  @Test
  @DisplayName("a burst to one number never delays another number's messages, on the same provider")
  void burstDoesNotDelayOtherNumbers() {
    // A provider throttle of 2 too: the number's wait comes first, so A's queued burst takes no provider tokens
    // ahead of B (reserving both at once would put b0 2.5 s behind A's debt).
    start(b -> b.throttle("primary", 2));
    for (int i = 0; i < 5; i++) {
      gateway.send(sms(LONG_CODE_A, "a" + i));
    }
    CompletableFuture<SendReceipt> b0 = gateway.send(sms(LONG_CODE_B, "b0"));
    assertThat(b0).isCompleted();
    assertThat(bodies(primary)).containsExactly("a0", "b0");
    scheduler.advance(Duration.ofSeconds(1));
    CompletableFuture<SendReceipt> b1 = gateway.send(sms(LONG_CODE_B, "b1"));
    assertThat(b1).isCompleted();
    assertThat(bodies(primary)).containsExactly("a0", "b0", "a1", "b1");
  }

  @Test
  @DisplayName("the limit counts parts: a 3-part message from a long code holds the number for 3 seconds")
  void countsParts() {
    start(b -> {});
    gateway.send(sms(LONG_CODE_A, "x".repeat(400)));
    CompletableFuture<SendReceipt> next = gateway.send(sms(LONG_CODE_A, "y"));
    scheduler.advance(Duration.ofMillis(2999));
    assertThat(next).isNotDone();
    scheduler.advance(Duration.ofMillis(1));
    assertThat(next).isCompleted();
  }

  @Test
  @DisplayName("the defaults by kind: toll-free 3 a second, short codes 100, sender ids and no originator unlimited")
  void kindDefaults() {
    start(b -> {});
    for (int i = 0; i < 4; i++) {
      gateway.send(sms(TOLL_FREE, "t" + i));
      gateway.send(sms("ACME", "s" + i));
      gateway.send(OutboundSms.builder().to(CUSTOMER).body("d" + i).build());
    }
    for (int i = 0; i < 101; i++) {
      gateway.send(sms("12345", "c" + i));
    }
    assertThat(bodies(primary)).filteredOn(s -> s.startsWith("t")).containsExactly("t0", "t1", "t2");
    assertThat(bodies(primary)).filteredOn(s -> s.startsWith("s")).hasSize(4);
    assertThat(bodies(primary)).filteredOn(s -> s.startsWith("d")).hasSize(4);
    assertThat(bodies(primary)).filteredOn(s -> s.startsWith("c")).hasSize(100);
    scheduler.advance(Duration.ofMillis(334));
    assertThat(bodies(primary)).filteredOn(s -> s.startsWith("t")).hasSize(4);
    assertThat(bodies(primary)).filteredOn(s -> s.startsWith("c")).hasSize(101);
  }

  @Test
  @DisplayName("a rate set for one number wins over its kind's; other numbers of the kind keep the kind's rate")
  void perNumberOverride() {
    Originator a = Originator.longCode(PhoneNumber.of(LONG_CODE_A));
    start(b -> b.originatorThrottles(OriginatorThrottles.defaults().toBuilder().number(a, 4).build()));
    for (int i = 0; i < 4; i++) {
      gateway.send(sms(LONG_CODE_A, "a" + i));
      gateway.send(sms(LONG_CODE_B, "b" + i));
    }
    assertThat(bodies(primary)).containsExactly("a0", "b0", "a1", "a2", "a3");
  }

  @Test
  @DisplayName("a kind's rate can be changed, or lifted")
  void kindOverrideAndNone() {
    start(b -> b.originatorThrottles(OriginatorThrottles.defaults().toBuilder()
        .kind(Originator.Kind.LONG_CODE, 2).unlimited(Originator.Kind.TOLL_FREE).build()));
    for (int i = 0; i < 5; i++) {
      gateway.send(sms(LONG_CODE_A, "a" + i));
      gateway.send(sms(TOLL_FREE, "t" + i));
    }
    assertThat(bodies(primary)).filteredOn(s -> s.startsWith("a")).containsExactly("a0", "a1");
    assertThat(bodies(primary)).filteredOn(s -> s.startsWith("t")).hasSize(5);
  }

  @Test
  @DisplayName("none() turns every per-number limit off")
  void none() {
    start(b -> b.originatorThrottles(OriginatorThrottles.none()));
    for (int i = 0; i < 5; i++) {
      gateway.send(sms(LONG_CODE_A, "n" + i));
    }
    assertThat(bodies(primary)).filteredOn(s -> s.startsWith("n")).hasSize(5);
  }

  @Test
  @DisplayName("the limit belongs to the number, whatever provider sends it")
  void acrossProviders() {
    start(b -> {});
    gateway.send(sms(LONG_CODE_A, "p"));
    CompletableFuture<SendReceipt> viaSecondary = gateway.send(sms(LONG_CODE_A, "s").toBuilder()
        .provider("secondary").build());
    assertThat(viaSecondary).isNotDone();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(viaSecondary).isCompleted();
    assertThat(bodies(secondary)).containsExactly("s");
  }

  @Test
  @DisplayName("rates must be positive and at most 100,000 parts a second, named in the error")
  void validation() {
    OriginatorThrottles.Builder b = OriginatorThrottles.builder();
    assertThatThrownBy(() -> b.kind(Originator.Kind.LONG_CODE, 0)).isInstanceOf(SmsValidationException.class)
        .hasMessageContaining("originatorThrottles.partsPerSecond").hasMessageContaining("must be > 0");
    assertThatThrownBy(() -> b.number(Originator.alphanumeric("ACME"), Double.NaN))
        .isInstanceOf(SmsValidationException.class);
    assertThatThrownBy(() -> b.kind(Originator.Kind.SHORT_CODE, 100_001)).isInstanceOf(SmsValidationException.class);
    assertThat(OriginatorThrottles.defaults().partsPerSecond(Originator.alphanumeric("ACME"))).isEmpty();
    assertThat(OriginatorThrottles.defaults().partsPerSecond(Originator.shortCode("12345", "US"))).hasValue(100);
  }
}
