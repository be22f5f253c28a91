package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.net.TcpFaultProxy;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * S2 (docs/reliability.md): the link between the provider and the SMSC goes half-open (a {@link TcpFaultProxy} in
 * between
 * stops forwarding without FIN or RST), then heals.
 */
@DisplayName("S2: half-open SMPP link")
class HalfOpenLinkTest {

  static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550199");
  static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550100"));
  static final Duration ENQUIRE_LINK = Duration.ofMillis(500);
  static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(500);

  SmscSimulator smsc;
  TcpFaultProxy proxy;
  SmppSmsProvider provider;
  final RecordingListener listener = new RecordingListener();

  @AfterEach
  void tearDown() {
    if (provider != null) {
      provider.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (smsc != null) {
      smsc.close();
    }
  }

  @Test
  @DisplayName("detected within enquire-link interval + response timeout, in-flight unknown, rebinds, 0 lost")
  void halfOpenLinkIsDetectedAndHealed() throws Exception {
    smsc = SmscSimulator.builder().credentials("esme", "pw").build().start();
    proxy = TcpFaultProxy.start(smsc.host(), smsc.port());
    provider = SmppSmsProvider.builder().name("s2").host(proxy.host()).port(proxy.port()).systemId("esme")
        .password("pw").enquireLinkInterval(ENQUIRE_LINK).responseTimeout(RESPONSE_TIMEOUT)
        .bindTimeout(Duration.ofSeconds(1)).reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .queueTimeout(Duration.ofSeconds(30)).defaultOriginator(BUSINESS).build();
    provider.start(listener);
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.CONNECTED, Duration.ofSeconds(10)))
        .isTrue();
    assertThat(provider.send(request("before")).get(10, TimeUnit.SECONDS).providerMessageId()).isNotBlank();
    int acceptedBefore = smsc.accepted().size();

    // The link goes silent: no FIN, no RST, bytes vanish both ways.
    proxy.mode(TcpFaultProxy.Mode.BLACKHOLE);
    int statesBefore = listener.states.size();
    long start = System.nanoTime();
    List<CompletableFuture<SendReceipt>> inFlight = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inFlight.add(provider.send(request("in-flight " + i)));
    }
    assertThat(RecordingListener.await(() -> listener.states.subList(statesBefore, listener.states.size())
        .contains(ProviderState.DISCONNECTED), Duration.ofSeconds(10))).as("dead link detected").isTrue();
    Duration detection = Duration.ofNanos(System.nanoTime() - start);

    // Every in-flight submit completes as unknown: possibly delivered, never a plain failure or a hang.
    for (CompletableFuture<SendReceipt> f : inFlight) {
      Throwable failure = failure(f);
      assertThat(failure).isInstanceOf(SmsException.class);
      assertThat(((SmsException) failure).possiblyDelivered()).as("%s", failure).isTrue();
    }
    // Sent while the link is down: waits in the queue for the rebind.
    List<CompletableFuture<SendReceipt>> duringOutage = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      duringOutage.add(provider.send(request("during outage " + i)));
    }

    long healedAt = System.nanoTime();
    proxy.mode(TcpFaultProxy.Mode.PASS_THROUGH);
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.CONNECTED, Duration.ofSeconds(15)))
        .as("rebound after the link healed").isTrue();
    Duration rebind = Duration.ofNanos(System.nanoTime() - healedAt);
    for (CompletableFuture<SendReceipt> f : duringOutage) {
      assertThat(f.get(15, TimeUnit.SECONDS).providerMessageId()).isNotBlank();
    }
    assertThat(provider.send(request("after")).get(10, TimeUnit.SECONDS).providerMessageId()).isNotBlank();

    // The black-holed submits never reached the SMSC; the queued ones and the last one did, once each.
    assertThat(smsc.acceptedTexts().subList(acceptedBefore, smsc.accepted().size()))
        .containsExactlyInAnyOrder("during outage 0", "during outage 1", "after");
    assertThat(proxy.droppedBytes()).isPositive();
    System.out.printf("S2 half-open link: detected in %d ms (enquire-link %d ms + response timeout %d ms = %d ms),"
            + " rebound %d ms after the link healed, proxy connections %d, 0 lost (%d in flight unknown, %d queued"
            + " delivered)%n", detection.toMillis(), ENQUIRE_LINK.toMillis(), RESPONSE_TIMEOUT.toMillis(),
        ENQUIRE_LINK.plus(RESPONSE_TIMEOUT).toMillis(), rebind.toMillis(), proxy.acceptedConnections(),
        inFlight.size(), duringOutage.size());
    // Slack for a loaded 2-core build machine: the timer tick and the close itself.
    assertThat(detection).isLessThanOrEqualTo(ENQUIRE_LINK.plus(RESPONSE_TIMEOUT).plus(Duration.ofMillis(1500)));
  }

  private static SubmitRequest request(String body) {
    return SubmitRequest.builder().messageId("s2-" + body.replace(' ', '-')).to(CUSTOMER).body(body).build();
  }

  private static Throwable failure(CompletableFuture<SendReceipt> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got a receipt");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
