package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The SMPP provider's lifecycle against the SMSC simulator: sends before start(), close(). */
class SmppLifecycleTest {

  SmscSimulator smsc;
  SmppSmsProvider provider;

  @BeforeEach
  void startSmsc() {
    smsc = SmscSimulator.builder().credentials("esme", "pw").build().start();
    provider = SmppSmsProvider.builder().name("smsc").host(smsc.host()).port(smsc.port()).systemId("esme")
        .password("pw").build();
  }

  @AfterEach
  void stop() {
    provider.close();
    smsc.close();
  }

  @Test
  @DisplayName("a send before start() fails at once with a configuration error instead of waiting for ever")
  void providerSendBeforeStart() {
    CompletableFuture<SendReceipt> f = provider.send(SubmitRequest.builder().messageId("m1")
        .to(PhoneNumber.of("+14155550100")).body("Hi").build());
    assertThat(f).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
        .isInstanceOf(SmsConfigurationException.class).withMessageContaining("not started");
    assertThat(provider.queued()).isZero();
  }

  @Test
  @DisplayName("a gateway send before start() fails at once and never reaches the SMSC")
  void gatewaySendBeforeStart() throws Exception {
    try (SmsGateway gateway = SmsGateway.builder().provider(provider).build()) {
      CompletableFuture<SendReceipt> f = gateway.send(OutboundSms.builder().to("+14155550100").body("Hi").build());
      assertThat(f).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
          .isInstanceOf(SmsConfigurationException.class).withMessageContaining("start()");
    }
    assertThat(smsc.accepted()).isEmpty();
  }

  @Test
  @DisplayName("a bind refused with a header-only bind_resp and an immediate close: one attempt, FAILED, queued sends"
      + " fail with a configuration error (40 runs: the order of refusal and end of stream is a race)")
  void refusedThenClosed() throws Exception {
    try (RefusingSmsc refusing = new RefusingSmsc(SmppErrors.ESME_RBINDFAIL)) {
      for (int run = 0; run < 40; run++) {
        int before = refusing.binds();
        RecordingListener states = new RecordingListener();
        SmppSmsProvider p = SmppSmsProvider.builder().name("smsc").host("127.0.0.1").port(refusing.port())
            .systemId("esme").password("wrong").bindTimeout(Duration.ofSeconds(30))
            .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
        try {
          p.start(states);
          CompletableFuture<SendReceipt> queued = p.send(SubmitRequest.builder().messageId("m" + run)
              .to(PhoneNumber.of("+14155550100")).body("Hi").build());
          long started = System.nanoTime();
          assertThat(RecordingListener.await(() -> p.state() == ProviderState.FAILED, Duration.ofSeconds(10)))
              .as("run %d: state %s", run, p.state()).isTrue();
          assertThat(Duration.ofNanos(System.nanoTime() - started)).as("run %d", run)
              .isLessThan(Duration.ofSeconds(10));
          try {
            queued.get(5, TimeUnit.SECONDS);
            throw new AssertionError("run " + run + ": the queued send should fail");
          } catch (ExecutionException e) {
            assertThat(e.getCause()).as("run %d", run).isInstanceOf(SmsConfigurationException.class)
                .hasMessageContaining("ESME_RBINDFAIL");
          }
          assertThat(refusing.binds() - before).as("run %d: bind attempts", run).isEqualTo(1);
          assertThat(states.states).as("run %d", run).doesNotContain(ProviderState.CONNECTED);
        } finally {
          p.close();
        }
      }
    }
  }
}
