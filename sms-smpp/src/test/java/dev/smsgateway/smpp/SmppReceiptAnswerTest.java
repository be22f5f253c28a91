package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.ProviderState;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A delivery receipt is answered when the listener has handled its report ({@link
 * ProviderListener#onDeliveryReportAsync}'s future), not when the inbound worker hands it over: the SMSC gets its
 * {@code deliver_sm_resp} only then, status 0, or ESME_RX_T_APPN when the future failed (so that it delivers the
 * receipt again); meanwhile the inbound workers are free for other PDUs.
 */
class SmppReceiptAnswerTest {

  // jsmpp's server session (the simulator) waits 2 s for a response: every receipt here is answered well before
  static final Duration WAIT = Duration.ofSeconds(5);

  SmscSimulator smsc;
  SmppSmsProvider provider;
  final LaterListener listener = new LaterListener();
  final ExecutorService smscSide = Executors.newCachedThreadPool();
  final Logger providerLog = (Logger) LoggerFactory.getLogger(SmppSmsProvider.class);
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void start() throws InterruptedException {
    logged.start();
    providerLog.addAppender(logged);
    smsc = SmscSimulator.builder().credentials("esme", "pw").build().start();
    provider = SmppSmsProvider.builder().host(smsc.host()).port(smsc.port()).systemId("esme").password("pw")
        .responseTimeout(Duration.ofSeconds(2)).reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .defaultOriginator(Originator.longCode(PhoneNumber.of("+14155550100"))).pduThreads(2).build();
    provider.start(listener);
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.CONNECTED, WAIT)).isTrue();
    assertThat(smsc.awaitBound(1, WAIT)).isTrue();
  }

  @AfterEach
  void stop() {
    providerLog.detachAppender(logged);
    if (provider != null) {
      provider.close();
    }
    smsc.close();
    smscSide.shutdownNow();
  }

  /** The SMSC delivers a receipt for {@code id} on a thread of its own; the future is the status it got back. */
  CompletableFuture<Integer> deliverReceipt(String id, String stat) {
    return CompletableFuture.supplyAsync(() -> smsc.deliverReceipt(id, stat), smscSide);
  }

  @Test
  @DisplayName("receipts are answered (status 0) only once the listener's futures completed; the inbound workers"
      + " take other PDUs meanwhile")
  void answeredOnceHandled() throws Exception {
    // more receipts waiting for the listener than the provider has inbound workers (2)
    List<CompletableFuture<Integer>> answers = new ArrayList<>();
    for (String id : List.of("r1", "r2", "r3")) {
      answers.add(deliverReceipt(id, "DELIVRD"));
    }
    List<LaterListener.Handling> handling = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      handling.add(listener.next());
    }
    assertThat(handling).extracting(h -> h.report().providerMessageId()).containsExactlyInAnyOrder("r1", "r2", "r3");
    assertThat(handling).extracting(h -> h.report().status()).containsOnly(DeliveryStatus.DELIVERED);
    assertThat(listener.synchronous).as("handed over with onDeliveryReportAsync only").isEmpty();

    // the workers are not waiting for the listener: a mobile-originated message is taken and answered now
    assertThat(smsc.deliverMo("+4915112345678", "+14155550100", "still there?")).isZero();
    assertThat(listener.inbound).extracting(InboundSms::body).containsExactly("still there?");
    assertThat(answers).as("no receipt answered before its report was handled").noneMatch(CompletableFuture::isDone);

    for (LaterListener.Handling h : handling) {
      CompletableFuture<Integer> answer = answers.get(List.of("r1", "r2", "r3").indexOf(h.report()
          .providerMessageId()));
      assertThat(answer).isNotDone();
      h.handled().complete(null);
      assertThat(answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isZero();
    }
    assertThat(logged.list).noneMatch(e -> e.getLevel() == Level.WARN);
  }

  @Test
  @DisplayName("a listener's future that fails is answered ESME_RX_T_APPN (0x64) with a WARN; the SMSC's redelivery,"
      + " handled, is answered 0")
  void refusedWhenTheFutureFails() throws Exception {
    CompletableFuture<Integer> answer = deliverReceipt("r1", "UNDELIV");
    LaterListener.Handling h = listener.next();
    assertThat(h.report().providerMessageId()).isEqualTo("r1");
    assertThat(h.report().status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(smsc.deliverMo("+4915112345678", "+14155550100", "sync point")).isZero();
    assertThat(answer).isNotDone();

    h.handled().completeExceptionally(new IllegalStateException("message store down"));
    assertThat(answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(SmppErrors.ESME_RX_T_APPN)
        .isEqualTo(0x64);
    assertThat(logged.list).anySatisfy(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).contains("listener refused a delivery report")
          .contains("message store down").contains("ESME_RX_T_APPN");
    });

    CompletableFuture<Integer> again = deliverReceipt("r1", "UNDELIV");
    LaterListener.Handling redelivered = listener.next();
    assertThat(redelivered.report().providerMessageId()).isEqualTo("r1");
    redelivered.handled().complete(null);
    assertThat(again.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isZero();
  }

  @Test
  @DisplayName("a future that is complete when returned (a listener that answered at once) is answered at once")
  void answeredAtOnceWhenAlreadyHandled() {
    listener.answerAtOnce = true;
    assertThat(smsc.deliverReceipt("r1", "DELIVRD")).isZero();
    listener.failAtOnce = new IllegalStateException("refused at once");
    assertThat(smsc.deliverReceipt("r2", "DELIVRD")).isEqualTo(SmppErrors.ESME_RX_T_APPN);
    assertThat(listener.synchronous).isEmpty();
  }

  /**
   * A listener whose {@link #onDeliveryReportAsync} futures the test completes (as the gateway's completes once the
   * store has merged the report); {@link #onDeliveryReport}, which the provider should no longer call for a receipt,
   * only records.
   */
  static final class LaterListener implements ProviderListener {
    record Handling(DeliveryReport report, CompletableFuture<Void> handled) {}

    final BlockingQueue<Handling> pending = new LinkedBlockingQueue<>();
    final List<DeliveryReport> synchronous = new CopyOnWriteArrayList<>();
    final List<InboundSms> inbound = new CopyOnWriteArrayList<>();
    volatile boolean answerAtOnce;
    volatile RuntimeException failAtOnce;

    @Override
    public void onInbound(InboundSms sms) {
      inbound.add(sms);
    }

    @Override
    public void onDeliveryReport(DeliveryReport report) {
      synchronous.add(report);
    }

    @Override
    public CompletableFuture<Void> onDeliveryReportAsync(DeliveryReport report) {
      RuntimeException fail = failAtOnce;
      if (fail != null) {
        return CompletableFuture.failedFuture(fail);
      }
      if (answerAtOnce) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> handled = new CompletableFuture<>();
      pending.add(new Handling(report, handled));
      return handled;
    }

    /** The next report handed over, waiting up to {@link #WAIT}. */
    Handling next() throws InterruptedException {
      Handling h = pending.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (h == null) {
        throw new AssertionError("no delivery report was handed to onDeliveryReportAsync within " + WAIT);
      }
      return h;
    }
  }
}
