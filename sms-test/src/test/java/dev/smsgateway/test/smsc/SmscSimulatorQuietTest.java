package dev.smsgateway.test.smsc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smsgateway.smpp.wire.QuietPduSender;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jsmpp.DefaultPDUReader;
import org.jsmpp.DefaultPDUSender;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.session.connection.socket.SocketConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** X1 for the SMSC simulator: its jsmpp server sessions write PDUs without jsmpp's DEBUG hex dump. */
class SmscSimulatorQuietTest {

  private static final String PASSWORD = "simPw9";
  private static final String MOBILE = "+14155550177";

  private final Logger senderLog = (Logger) LoggerFactory.getLogger(DefaultPDUSender.class);
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Level before;
  // the raw jsmpp client below dumps the deliver_sm it reads (jsmpp's session always does, at DEBUG): kept out of the
  // X1 log, as the provider (which reads deliver_sm itself) does not do this
  private final List<Logger> clientReceiveLogs = List.of((Logger) LoggerFactory.getLogger(SMPPSession.class),
      (Logger) LoggerFactory.getLogger("org.jsmpp.session.PDUProcessTask"));
  private final ListAppender<ILoggingEvent> clientDumps = new ListAppender<>();

  @BeforeEach
  void captureJsmppSenderAtDebug() {
    before = senderLog.getLevel();
    senderLog.setLevel(Level.TRACE); // jsmpp dumps enquire_link(_resp) at TRACE, the rest at DEBUG
    events.start();
    senderLog.addAppender(events);
    senderLog.setAdditive(false);
    clientDumps.start();
    for (Logger l : clientReceiveLogs) {
      l.addAppender(clientDumps);
      l.setAdditive(false);
    }
  }

  @AfterEach
  void restore() {
    senderLog.detachAppender(events);
    senderLog.setLevel(before);
    senderLog.setAdditive(true);
    for (Logger l : clientReceiveLogs) {
      l.detachAppender(clientDumps);
      l.setAdditive(true);
    }
  }

  @Test
  @DisplayName("a bind and a mobile-originated message through the simulator put no PDU dump in jsmpp's sender log")
  void simulatorSessionsDoNotDumpPdus() throws Exception {
    List<DeliverSm> delivered = new CopyOnWriteArrayList<>();
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("esme", PASSWORD).build().start()) {
      // the client writes quietly too, so that whatever reaches the log came from the simulator's side
      SMPPSession client = new SMPPSession(new QuietPduSender(), new DefaultPDUReader(),
          SocketConnectionFactory.getInstance());
      client.setMessageReceiverListener(new MessageReceiverListener() {
        @Override
        public void onAcceptDeliverSm(DeliverSm deliverSm) {
          delivered.add(deliverSm);
        }

        @Override
        public void onAcceptAlertNotification(org.jsmpp.bean.AlertNotification alertNotification) {}

        @Override
        public DataSmResult onAcceptDataSm(org.jsmpp.bean.DataSm dataSm, Session source) {
          return null;
        }
      });
      try {
        client.connectAndBind(smsc.host(), smsc.port(), new BindParameter(BindType.BIND_TRX, "esme", PASSWORD, "",
            TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
        assertThat(smsc.awaitBound(1, Duration.ofSeconds(5))).isTrue();

        assertThat(smsc.deliverMo(MOBILE, "12345", "STOP")).isZero();
      } finally {
        client.unbindAndClose();
      }
    }
    assertThat(delivered).singleElement().satisfies(d -> assertThat(d.getSourceAddr()).isEqualTo(MOBILE.substring(1)));
    assertThat(events.list).isEmpty();
  }
}
