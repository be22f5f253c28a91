package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.ProviderCapabilities;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.ReportMerge;
import dev.smsgateway.test.RecordingSmsProvider.Outcome;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The end of a send with a message store that answers later (as a durable store answers in its next group commit):
 * the reports parked for the send's provider ids are taken with {@link MessageStore#takeParkedAsync}, the reports held
 * while the send ended are merged one after the other with {@link MessageStore#mergeReportAsync}, and the listeners
 * hear of each only once its merge completed, on the callback executor, after onSent, parked (older) before held.
 */
class SmsGatewayReportMergeAsyncTest {

  final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final LaterMessageStore store = new LaterMessageStore(clock);
  final QueuedExecutor callbacks = new QueuedExecutor();
  final RecordingSmsProvider recording = RecordingSmsProvider.builder().name("primary").clock(clock).build();
  final CapturingProvider provider = new CapturingProvider(recording);
  final SmsGatewayReportOrderTest.Order events = new SmsGatewayReportOrderTest.Order("l");
  final Logger gatewayLog = (Logger) LoggerFactory.getLogger(SmsGateway.class);
  final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  SmsGateway gateway;

  @BeforeEach
  void start() {
    logged.start();
    gatewayLog.addAppender(logged);
    gateway = SmsGateway.builder().provider(provider).clock(clock).scheduler(scheduler).messageStore(store)
        .callbackExecutor(callbacks).listener(events).build();
    gateway.start();
  }

  @AfterEach
  void tearDown() {
    gatewayLog.detachAppender(logged);
    gateway.close();
  }

  DeliveryReport report(String providerMessageId, DeliveryStatus status) {
    return DeliveryReport.builder().provider("primary").providerMessageId(providerMessageId).status(status)
        .rawStatus(status.name()).occurredAt(clock.instant()).build();
  }

  /** Sends one message the provider answers when the test releases it; its provider id will be 1001. */
  CompletableFuture<SendReceipt> sendPending() {
    recording.enqueue(Outcome.pending());
    return gateway.send(OutboundSms.builder().to("+14155550100").body("Hi").build());
  }

  /**
   * A pending send with a SENT report parked before its link and a DELIVERED one held after it (the send completed,
   * its parked reports being taken); returns the send's id.
   */
  private String sentWithParkedAndHeld() {
    CompletableFuture<SendReceipt> f = sendPending();
    String id = events.accepted.get(0);
    recording.deliverReport(report("1001", DeliveryStatus.SENT)); // parked
    recording.releasePending();
    assertThat(f).isCompleted();
    recording.deliverReport(report("1001", DeliveryStatus.DELIVERED)); // held
    return id;
  }

  @Test
  @DisplayName("a report parked before the link and one held after it reach the listeners after onSent, parked first,"
      + " each only once its merge completed, one merge at a time")
  void parkedThenHeldAfterTheirMerges() {
    CompletableFuture<SendReceipt> f = sendPending();
    String id = events.accepted.get(0);
    recording.deliverReport(report("1001", DeliveryStatus.SENT)); // overtook the send's answer: parked
    assertThat(store.delegate.findLink("primary", "1001")).isEmpty();

    recording.releasePending(); // linked, onSent; the parked reports are being taken
    assertThat(f).isCompleted();
    assertThat(events.events).containsExactly("l:accepted", "l:sent");
    assertThat(store.pending()).containsExactly("take primary/1001");

    recording.deliverReport(report("1001", DeliveryStatus.DELIVERED)); // after the link, before the send settled
    assertThat(events.events).containsExactly("l:accepted", "l:sent");
    assertThat(store.pending()).containsExactly("take primary/1001");

    store.completeNext(); // the take answers with the parked report: applied on the callback executor
    assertThat(events.events).containsExactly("l:accepted", "l:sent");
    callbacks.runAll();
    // settled: the first report's merge is asked, and only it
    assertThat(store.pending()).containsExactly("merge " + id + " SENT");
    assertThat(events.events).containsExactly("l:accepted", "l:sent");

    store.completeNext();
    assertThat(events.events).as("told on the callback executor").containsExactly("l:accepted", "l:sent");
    assertThat(store.pending()).isEmpty();
    callbacks.runAll();
    assertThat(events.events).containsExactly("l:accepted", "l:sent", "l:report:SENT");
    assertThat(store.pending()).containsExactly("merge " + id + " DELIVERED");

    store.completeNext();
    callbacks.runAll();
    assertThat(events.events).containsExactly("l:accepted", "l:sent", "l:report:SENT", "l:report:DELIVERED");
    assertThat(store.pending()).isEmpty();
    assertThat(callbacks.size()).isZero();
    assertThat(gateway.status(id).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(store.delegate.takeParked("primary", "1001")).isEmpty();
  }

  @Test
  @DisplayName("a two-part message: the reports parked for both provider ids are merged in their order, before the"
      + " report held while they were being taken")
  void parkedOfEveryPartBeforeHeld() {
    recording.enqueue(Outcome.pending());
    CompletableFuture<SendReceipt> f = gateway.send(OutboundSms.builder().to("+14155550100").body("x".repeat(200))
        .build());
    String id = events.accepted.get(0);
    recording.deliverReport(report("1001", DeliveryStatus.SENT)); // part 0, parked
    recording.deliverReport(report("1002", DeliveryStatus.SENT)); // part 1, parked
    recording.releasePending();
    assertThat(f).isCompleted();
    assertThat(f.join().providerMessageIds()).containsExactly("1001", "1002");
    assertThat(store.pending()).containsExactly("take primary/1001");
    recording.deliverReport(report("1001", DeliveryStatus.DELIVERED)); // held

    store.completeNext();
    callbacks.runAll();
    assertThat(store.pending()).containsExactly("take primary/1002");
    recording.deliverReport(report("1002", DeliveryStatus.DELIVERED)); // held too, after the first
    store.completeNext();
    callbacks.runAll();

    List<String> merges = new ArrayList<>();
    while (!store.pending().isEmpty()) {
      merges.add(store.pending().get(0));
      store.completeNext();
      callbacks.runAll();
    }
    assertThat(merges).containsExactly("merge " + id + " SENT", "merge " + id + " SENT", "merge " + id + " DELIVERED",
        "merge " + id + " DELIVERED");
    // merged: the message's status, its least advanced part's (ACCEPTED while part 1 was not SENT yet)
    assertThat(events.events).containsExactly("l:accepted", "l:sent", "l:report:ACCEPTED", "l:report:SENT",
        "l:report:SENT", "l:report:DELIVERED");
    assertThat(gateway.status(id).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
  }

  @Test
  @DisplayName("nothing parked: the held report's merge is asked once the take answered, and told after it completed")
  void heldAfterAnEmptyTake() {
    CompletableFuture<SendReceipt> f = sendPending();
    String id = events.accepted.get(0);
    recording.releasePending();
    assertThat(f).isCompleted();
    recording.deliverReport(report("1001", DeliveryStatus.DELIVERED));
    assertThat(store.pending()).containsExactly("take primary/1001");

    store.completeNext(); // empty: settles right where the answer arrived
    assertThat(store.pending()).containsExactly("merge " + id + " DELIVERED");
    assertThat(events.events).containsExactly("l:accepted", "l:sent");
    store.completeNext();
    callbacks.runAll();
    assertThat(events.events).containsExactly("l:accepted", "l:sent", "l:report:DELIVERED");
  }

  @Test
  @DisplayName("a failing take is logged, the parked report stays parked, and the send still settles: its held report"
      + " is merged and told")
  void failingTakeStillSettles() {
    String id = sentWithParkedAndHeld();

    store.failNext(new IllegalStateException("message store down"));
    callbacks.runAll();
    assertThat(logged.list).anySatisfy(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).contains(id).contains("taking the delivery reports parked for it failed");
      assertThat(e.getThrowableProxy().getMessage()).contains("message store down");
    });
    assertThat(store.pending()).containsExactly("merge " + id + " DELIVERED");
    store.completeNext();
    callbacks.runAll();
    assertThat(events.events).containsExactly("l:accepted", "l:sent", "l:report:DELIVERED");
    assertThat(store.delegate.takeParked("primary", "1001")).as("still parked")
        .extracting(DeliveryReport::status).containsExactly(DeliveryStatus.SENT);
  }

  @Test
  @DisplayName("a failing merge of a held report is logged, and the next held report is still merged and told")
  void failingHeldMergeGoesOn() {
    CompletableFuture<SendReceipt> f = sendPending();
    String id = events.accepted.get(0);
    recording.releasePending();
    assertThat(f).isCompleted();
    recording.deliverReport(report("1001", DeliveryStatus.SENT));
    recording.deliverReport(report("1001", DeliveryStatus.DELIVERED));
    store.completeNext(); // the (empty) take

    assertThat(store.pending()).containsExactly("merge " + id + " SENT");
    store.failNext(new IllegalStateException("message store down"));
    callbacks.runAll();
    assertThat(logged.list).anySatisfy(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).contains(id).contains("applying a held delivery report failed");
    });
    assertThat(store.pending()).containsExactly("merge " + id + " DELIVERED");
    store.completeNext();
    callbacks.runAll();
    assertThat(events.events).containsExactly("l:accepted", "l:sent", "l:report:DELIVERED");
  }

  @Test
  @DisplayName("the gateway's ProviderListener.onDeliveryReportAsync completes only after the merge completed and"
      + " every listener was told; a failed merge fails it and tells no one")
  void providerListenerAsyncCompletesAfterListenersWereTold() {
    CompletableFuture<SendReceipt> f = sendPending();
    String id = events.accepted.get(0);
    recording.releasePending();
    store.completeNext(); // the (empty) take: the send settles
    assertThat(f).isCompleted();
    assertThat(store.pending()).isEmpty();

    CompletableFuture<Void> handled = provider.listener.onDeliveryReportAsync(report("1001", DeliveryStatus.SENT));
    assertThat(store.pending()).containsExactly("merge " + id + " SENT");
    assertThat(handled).isNotDone();
    store.completeNext();
    assertThat(handled).isNotDone();
    assertThat(events.events).containsExactly("l:accepted", "l:sent");
    callbacks.runAll();
    assertThat(events.events).containsExactly("l:accepted", "l:sent", "l:report:SENT");
    assertThat(handled).isCompleted();

    IllegalStateException down = new IllegalStateException("message store down");
    CompletableFuture<Void> refused = provider.listener.onDeliveryReportAsync(
        report("1001", DeliveryStatus.DELIVERED));
    assertThat(refused).isNotDone();
    store.failNext(down);
    callbacks.runAll();
    assertThat(refused).isCompletedExceptionally();
    assertThat(refused.handle((v, e) -> e).join()).hasRootCause(down);
    assertThat(events.events).containsExactly("l:accepted", "l:sent", "l:report:SENT");
  }

  @Test
  @DisplayName("a report held while its send ends completes the provider's future only once it is applied: never"
      + " acknowledged before it is stored; a failed merge fails it, so the provider's peer delivers it again")
  void heldReportAcknowledgedOnceApplied() {
    CompletableFuture<SendReceipt> f = sendPending();
    String id = events.accepted.get(0);
    recording.releasePending(); // linked, onSent; the (empty) take of parked reports is pending: not settled
    assertThat(f).isCompleted();
    assertThat(store.pending()).containsExactly("take primary/1001");

    CompletableFuture<Void> held = provider.listener.onDeliveryReportAsync(report("1001", DeliveryStatus.SENT));
    CompletableFuture<Void> heldToo = provider.listener.onDeliveryReportAsync(
        report("1001", DeliveryStatus.DELIVERED));
    assertThat(held).as("held, not stored yet").isNotDone();
    assertThat(heldToo).isNotDone();
    store.completeNext(); // the take: nothing parked; the send settles and its held reports are applied
    assertThat(store.pending()).containsExactly("merge " + id + " SENT");
    assertThat(held).isNotDone();
    store.completeNext();
    callbacks.runAll();
    assertThat(events.events).containsExactly("l:accepted", "l:sent", "l:report:SENT");
    assertThat(held).isCompleted();
    assertThat(heldToo).isNotDone();

    IllegalStateException down = new IllegalStateException("message store down");
    assertThat(store.pending()).containsExactly("merge " + id + " DELIVERED");
    store.failNext(down);
    callbacks.runAll();
    assertThat(heldToo).isCompletedExceptionally();
    assertThat(heldToo.handle((v, e) -> e).join()).hasRootCause(down);
    assertThat(events.events).containsExactly("l:accepted", "l:sent", "l:report:SENT");
  }

  @Test
  @DisplayName("a callback executor that refuses (shut down): the parked and held reports are applied and told where"
      + " the store's answers arrive, never dropped")
  void refusingExecutorRunsWhereTheAnswerArrives() {
    String id = sentWithParkedAndHeld();
    callbacks.refusing = true;

    store.completeNext(); // the take, with the parked report: applied here
    assertThat(store.pending()).containsExactly("merge " + id + " SENT");
    store.completeNext();
    assertThat(events.events).containsExactly("l:accepted", "l:sent", "l:report:SENT");
    assertThat(store.pending()).containsExactly("merge " + id + " DELIVERED");
    store.completeNext();
    assertThat(events.events).containsExactly("l:accepted", "l:sent", "l:report:SENT", "l:report:DELIVERED");
    assertThat(callbacks.size()).isZero();
  }

  /** A provider that hands the gateway's listener to the test and sends through a {@link RecordingSmsProvider}. */
  static final class CapturingProvider implements SmsProvider {
    private final RecordingSmsProvider delegate;
    volatile ProviderListener listener;

    CapturingProvider(RecordingSmsProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public ProviderCapabilities capabilities() {
      return delegate.capabilities();
    }

    @Override
    public void start(ProviderListener listener) {
      this.listener = listener;
      delegate.start(listener);
    }

    @Override
    public CompletableFuture<SendReceipt> send(SubmitRequest request) {
      return delegate.send(request);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** An executor that runs its tasks only when the test says so, on the test's thread. */
  static final class QueuedExecutor implements Executor {
    private final Deque<Runnable> tasks = new ArrayDeque<>();
    // refuses every task, as an application's executor that was shut down does
    volatile boolean refusing;

    @Override
    public synchronized void execute(Runnable task) {
      if (refusing) {
        throw new RejectedExecutionException("callback executor shut down");
      }
      tasks.addLast(task);
    }

    synchronized int size() {
      return tasks.size();
    }

    /** Runs the queued tasks, and the ones they queue, until none is left. */
    void runAll() {
      Runnable next;
      while ((next = poll()) != null) {
        next.run();
      }
    }

    private synchronized Runnable poll() {
      return tasks.pollFirst();
    }
  }

  /**
   * An {@link InMemoryMessageStore} whose {@link #takeParkedAsync} and {@link #mergeReportAsync} answer only when the
   * test completes them, in the order they were asked (the work is done then, as in a group commit).
   */
  static final class LaterMessageStore extends ForwardingMessageStore {
    private final Deque<Later<?>> later = new ArrayDeque<>();

    private record Later<T>(String what, Supplier<T> work, CompletableFuture<T> answer) {
      void complete() {
        answer.complete(work.get());
      }
    }

    LaterMessageStore(java.time.Clock clock) {
      super(new InMemoryMessageStore(clock));
    }

    private synchronized <T> CompletableFuture<T> later(String what, Supplier<T> work) {
      CompletableFuture<T> answer = new CompletableFuture<>();
      later.addLast(new Later<>(what, work, answer));
      return answer;
    }

    /** What was asked and not answered yet, oldest first. */
    synchronized List<String> pending() {
      List<String> what = new ArrayList<>();
      later.forEach(l -> what.add(l.what()));
      return what;
    }

    private synchronized Later<?> next() {
      Later<?> l = later.pollFirst();
      if (l == null) {
        throw new AssertionError("nothing asked of the store is pending");
      }
      return l;
    }

    /** Does the oldest pending work and completes its future (continuations run on this thread). */
    void completeNext() {
      next().complete();
    }

    /** Fails the oldest pending work's future with {@code error}, without doing it. */
    void failNext(RuntimeException error) {
      next().answer().completeExceptionally(error);
    }

    @Override
    public CompletableFuture<List<DeliveryReport>> takeParkedAsync(String provider, String providerMessageId) {
      return later("take " + provider + "/" + providerMessageId, () -> delegate.takeParked(provider,
          providerMessageId));
    }

    @Override
    public CompletableFuture<Optional<ReportMerge>> mergeReportAsync(String messageId, int part,
        dev.smsgateway.DeliveryStatus status, String errorCode, Instant at) {
      return later("merge " + messageId + " " + status, () -> delegate.mergeReport(messageId, part, status,
          errorCode, at));
    }
  }
}
