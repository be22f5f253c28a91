package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
}
