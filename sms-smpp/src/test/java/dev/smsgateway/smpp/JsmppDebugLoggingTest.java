package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * docs/reliability.md X1 on the provider's receiving side: jsmpp's session hex-dumps every PDU it reads at DEBUG, so
 * the
 * provider reads deliver_sm itself and jsmpp's session never sees a customer's number or text.
 */
class JsmppDebugLoggingTest {

  private static final String CUSTOMER = "+4915112345670";
  private static final String TEXT = "Meet at the north gate";

  private final List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger("org.jsmpp.session.SMPPSession"),
      (Logger) LoggerFactory.getLogger("org.jsmpp.session.PDUProcessTask"));
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private SmscSimulator smsc;
  private SmppSmsProvider provider;

  @BeforeEach
  void captureJsmppAtDebug() {
    events.start();
    for (Logger l : loggers) {
      l.setLevel(Level.DEBUG);
      l.addAppender(events);
      l.setAdditive(false);
    }
    smsc = SmscSimulator.builder().credentials("esme", "pw").autoDeliveryReceipts(true).build().start();
  }

  @AfterEach
  void restore() {
    if (provider != null) {
      provider.close();
    }
    smsc.close();
    for (Logger l : loggers) {
      l.detachAppender(events);
      l.setLevel(null);
      l.setAdditive(true);
    }
  }

  @Test
  @DisplayName("mobile-originated messages and receipts reach the listener; jsmpp's receive dumps never hold them")
  void deliverSmNeverReachesJsmppsSession() throws Exception {
    RecordingListener listener = new RecordingListener();
    provider = SmppSmsProvider.builder().host(smsc.host()).port(smsc.port()).systemId("esme").password("pw")
        .defaultOriginator(Originator.longCode(PhoneNumber.of("+14155550100"))).build();
    provider.start(listener);
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.CONNECTED, Duration.ofSeconds(5)))
        .isTrue();

    SendReceipt sent = provider.send(SubmitRequest.builder().messageId("x1").to(PhoneNumber.of(CUSTOMER)).body("Hi")
        .build()).get(10, TimeUnit.SECONDS);
    assertThat(smsc.deliverMo(CUSTOMER, "+14155550100", TEXT)).isZero();
    assertThat(RecordingListener.await(() -> listener.inbound.size() == 1 && !listener.reports.isEmpty(),
        Duration.ofSeconds(5))).isTrue();
    assertThat(listener.inbound.get(0).body()).isEqualTo(TEXT);
    assertThat(listener.reports.get(0).status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(listener.reports.get(0).providerMessageId()).isEqualTo(sent.providerMessageIds().get(0));

    // the control: jsmpp did dump what it read (bind_resp, submit_sm_resp) ... (a copy taken under the appender's
    // lock: jsmpp's threads may still be appending)
    List<ILoggingEvent> logged;
    synchronized (events) {
      logged = List.copyOf(events.list);
    }
    assertThat(logged).extracting(ILoggingEvent::getFormattedMessage).anyMatch(m -> m.contains("Received PDU"));
    // ... but neither the customer's number nor the text, in any form
    String digits = CUSTOMER.substring(1);
    List<String> forbidden = List.of(digits, hex(digits), hex(TEXT));
    assertThat(logged).extracting(e -> e.getFormattedMessage().toLowerCase())
        .noneMatch(m -> forbidden.stream().anyMatch(m::contains));
  }

  private static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
