package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.ReportMerge;
import dev.smsgateway.test.ForwardingMessageStore;
import dev.smsgateway.test.smsc.ReceivedSubmit;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An SMPP delivery receipt through the gateway, with a message store that answers its asynchronous calls later (as a
 * durable store answers in its next group commit): the SMSC gets the {@code deliver_sm_resp} only once the report's
 * merge is durable and the listeners were told; a merge that failed is answered ESME_RX_T_APPN, so that the SMSC
 * delivers the receipt again.
 */
class SmppDurableReceiptTest {

  // jsmpp's server session (the simulator) waits 2 s for a response: every receipt here is answered well before
  static final Duration WAIT = Duration.ofSeconds(5);

  SmscSimulator smsc;
  SmppSmsProvider provider;
  SmsGateway gateway;
  final LaterStore store = new LaterStore(Clock.systemUTC());
  final List<String> events = new CopyOnWriteArrayList<>();
  final ExecutorService smscSide = Executors.newCachedThreadPool();
  String messageId;

  @BeforeEach
  void start() throws InterruptedException {
    smsc = SmscSimulator.builder().credentials("esme", "pw").build().start();
    provider = SmppSmsProvider.builder().name("smsc").host(smsc.host()).port(smsc.port()).systemId("esme")
        .password("pw").responseTimeout(Duration.ofSeconds(5)).build();
    gateway = SmsGateway.builder().provider(provider).messageStore(store).listener(new GatewayListener() {
      @Override
      public void onSent(SendReceipt receipt) {
        events.add("sent");
      }

      @Override
      public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
        events.add("report:" + merged);
      }
    }).build();
    gateway.start();
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.CONNECTED, WAIT)).isTrue();
    assertThat(smsc.awaitBound(1, WAIT)).isTrue();
  }

  @AfterEach
  void stop() {
    gateway.close();
    smsc.close();
    smscSide.shutdownNow();
  }

  /** Sends one message and lets its send settle (the take of its parked reports answered: nothing parked). */
  ReceivedSubmit sent() throws Exception {
    CompletableFuture<SendReceipt> f = gateway.send(OutboundSms.builder().to("+14155550100").from("+14155550199")
        .body("Hi").build());
    LaterStore.Later<?> take = store.next();
    assertThat(take.what()).startsWith("take smsc/");
    take.complete(); // the send settles on this thread: later reports are merged, not held
    messageId = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).messageId();
    assertThat(events).containsExactly("sent");
    return smsc.accepted().get(0);
  }

  CompletableFuture<Integer> deliverReceipt(ReceivedSubmit submit, String stat) {
    return CompletableFuture.supplyAsync(() -> smsc.deliverReceipt(submit, stat), smscSide);
  }

  @Test
  @DisplayName("the deliver_sm_resp (0) goes once the report's merge completed and the listeners were told")
  void answeredOnceMergedAndTold() throws Exception {
    ReceivedSubmit submit = sent();
    CompletableFuture<Integer> answer = deliverReceipt(submit, "DELIVRD");

    LaterStore.Later<?> merge = store.next();
    assertThat(merge.what()).startsWith("merge ").endsWith(" DELIVERED");
    assertThat(answer).isNotDone();
    assertThat(events).containsExactly("sent");

    merge.complete();
    assertThat(answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isZero();
    assertThat(events).containsExactly("sent", "report:DELIVERED");
    assertThat(merge.what()).isEqualTo("merge " + messageId + " DELIVERED");
    assertThat(gateway.status(messageId).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
  }

  @Test
  @DisplayName("a merge that failed is answered ESME_RX_T_APPN and tells no one; the redelivered receipt, merged, is"
      + " answered 0")
  void refusedWhenTheMergeFailed() throws Exception {
    ReceivedSubmit submit = sent();
    CompletableFuture<Integer> answer = deliverReceipt(submit, "DELIVRD");
    LaterStore.Later<?> merge = store.next();
    assertThat(answer).isNotDone();

    merge.answer().completeExceptionally(new IllegalStateException("message store down"));
    assertThat(answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(SmppErrors.ESME_RX_T_APPN);
    assertThat(events).containsExactly("sent");
    assertThat(gateway.status(messageId).orElseThrow().status()).as("unchanged")
        .isEqualTo(DeliveryStatus.ACCEPTED);

    CompletableFuture<Integer> again = deliverReceipt(submit, "DELIVRD");
    store.next().complete();
    assertThat(again.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isZero();
    assertThat(events).containsExactly("sent", "report:DELIVERED");
  }

  /**
   * An {@link InMemoryMessageStore} whose {@link #takeParkedAsync} and {@link #mergeReportAsync} answer only when the
   * test completes them (the work is done then, as in a group commit).
   */
  static final class LaterStore extends ForwardingMessageStore {
    private final BlockingQueue<Later<?>> later = new LinkedBlockingQueue<>();

    record Later<T>(String what, Supplier<T> work, CompletableFuture<T> answer) {
      void complete() {
        answer.complete(work.get());
      }
    }

    LaterStore(Clock clock) {
      super(new InMemoryMessageStore(clock));
    }

    private <T> CompletableFuture<T> later(String what, Supplier<T> work) {
      CompletableFuture<T> answer = new CompletableFuture<>();
      later.add(new Later<>(what, work, answer));
      return answer;
    }

    /** The oldest unanswered call, waiting up to {@link #WAIT} for one. */
    Later<?> next() throws InterruptedException {
      Later<?> l = later.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (l == null) {
        throw new AssertionError("nothing was asked of the store within " + WAIT);
      }
      return l;
    }

    @Override
    public CompletableFuture<List<DeliveryReport>> takeParkedAsync(String provider, String providerMessageId) {
      return later("take " + provider + "/" + providerMessageId, () -> delegate.takeParked(provider,
          providerMessageId));
    }

    @Override
    public CompletableFuture<Optional<ReportMerge>> mergeReportAsync(String messageId, int part, DeliveryStatus status,
        String errorCode, Instant at) {
      return later("merge " + messageId + " " + status, () -> delegate.mergeReport(messageId, part, status,
          errorCode, at));
    }
  }
}
