package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smsgateway.ProviderState;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a user sees in the log for ordinary lifecycle events: one line of ours that says what happened, and no jsmpp
 * WARN or ERROR (with its stack trace) beside it.
 */
class SmppLogNoiseTest {

  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  final List<Logger> watched = List.of((Logger) LoggerFactory.getLogger("org.jsmpp"),
      (Logger) LoggerFactory.getLogger(SmppSmsProvider.class));
  SmscSimulator smsc;

  @BeforeEach
  void setUp() {
    logs.start();
    watched.forEach(l -> l.addAppender(logs));
    smsc = SmscSimulator.builder().credentials("esme", "pw").build().start();
  }

  @AfterEach
  void tearDown() {
    watched.forEach(l -> l.detachAppender(logs));
    smsc.close();
  }

  SmppSmsProvider provider(String password) {
    return SmppSmsProvider.builder().name("smsc").host(smsc.host()).port(smsc.port()).systemId("esme")
        .password(password).reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
  }

  List<String> warnings() {
    // the simulator's own server-side sessions are jsmpp too: what they log is the SMSC's side, not the user's;
    // their threads may still be appending, so read a copy taken under the appender's lock (doAppend holds it)
    List<ILoggingEvent> events;
    synchronized (logs) {
      events = List.copyOf(logs.list);
    }
    return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .filter(e -> !e.getLoggerName().contains("Server"))
        .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
            + (e.getThrowableProxy() == null ? "" : " [" + e.getThrowableProxy().getClassName() + "]"))
        .toList();
  }

  @Test
  @DisplayName("bind, then close(): no WARN or ERROR at all")
  void normalClose() throws Exception {
    SmppSmsProvider p = provider("pw");
    RecordingListener states = new RecordingListener();
    p.start(states);
    assertThat(RecordingListener.await(() -> p.state() == ProviderState.CONNECTED, Duration.ofSeconds(10))).isTrue();
    p.close();
    assertThat(warnings()).isEmpty();
  }

  @Test
  @DisplayName("start(), then close() at once (while binding): no WARN or ERROR at all")
  void startThenClose() {
    for (int i = 0; i < 5; i++) {
      SmppSmsProvider p = provider("pw");
      p.start(new RecordingListener());
      p.close();
    }
    assertThat(warnings()).isEmpty();
  }

  @Test
  @DisplayName("a refused bind: exactly one line, ours, naming the status and what to check")
  void refusedBind() throws Exception {
    SmppSmsProvider p = provider("wrong");
    p.start(new RecordingListener());
    try {
      assertThat(RecordingListener.await(() -> p.state() == ProviderState.FAILED, Duration.ofSeconds(10))).isTrue();
    } finally {
      p.close();
    }
    assertThat(warnings()).singleElement().satisfies(line -> assertThat(line)
        .startsWith("ERROR dev.smsgateway.smpp.SmppSmsProvider").contains("ESME_RINVPASWD")
        .contains("smpp.password"));
  }
}
