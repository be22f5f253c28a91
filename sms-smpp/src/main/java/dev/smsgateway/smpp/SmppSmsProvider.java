package dev.smsgateway.smpp;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.ProviderCapabilities;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.jsmpp.PDUException;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link SmsProvider} for any SMSC reachable over SMPP 3.4, built on jsmpp (whose types never appear here).
 *
 * <pre>{@code
 * SmppSmsProvider smpp = SmppSmsProvider.builder()
 *     .host("smsc.example.net").port(2775)
 *     .systemId("esme").password(secret)
 *     .binds(2).window(10).partsPerSecond(50)
 *     .defaultOriginator(Originator.alphanumeric("ACME"))
 *     .build();
 * smpp.start(listener);
 * smpp.send(request).thenAccept(receipt -> ...);
 * }</pre>
 *
 * <p>What it does: binds as a transceiver or a transmitter + receiver pair, {@link Builder#binds several binds} in
 * parallel, each with its own window of outstanding submits and its own parts-per-second cap. A supervisor thread per
 * bind reconnects with exponential backoff and full jitter; bad credentials stop it with one clear log line and state
 * {@link ProviderState#FAILED}. Sends made while no bind is up wait in a bounded queue until one is, or fail when the
 * queue is full or their time to live runs out. Long texts go as UDH (8 or 16-bit reference), SAR TLVs or one
 * message_payload. Delivery receipts are parsed by our own lenient parser and reported with the message id in the
 * form {@code submit_sm_resp} gave it, even when the receipt overtakes the response. Multipart inbound messages are
 * reassembled with a timeout and a cap on pending groups.
 *
 * <p>Window: submits are pipelined. {@link #send} queues the message and, when a bind has a free window slot, writes
 * its {@code submit_sm} at once on the calling thread; the {@code submit_sm_resp} completes the future and puts the
 * next queued message on the wire. No thread waits per outstanding request: the threads are one supervisor per bind,
 * one housekeeping thread (timeouts, rate-limited parts) and jsmpp's reader and PDU processing threads.
 *
 * <p>Threads: listener callbacks and the completion of {@link #send}'s futures run on jsmpp's PDU processing threads
 * (timeouts on the housekeeping thread). Keep dependent stages short, or move blocking work (a database write) to
 * your own executor with {@code whenCompleteAsync}. If {@link ProviderListener#onInbound} or
 * {@link ProviderListener#onDeliveryReport} throws, the SMSC gets a {@code deliver_sm_resp} with ESME_RX_T_APPN and
 * delivers again.
 *
 * <p>Logging: nothing here logs a PDU, a password or a whole phone number, at any level. jsmpp's session hex-dumps
 * every PDU it writes or reads at DEBUG, so the sessions write through a sender that does not log, and the provider
 * reads deliver_sm itself: what jsmpp still sees and dumps is responses (message ids) and enquire_link.
 *
 * <p>Thread-safe.
 */
public final class SmppSmsProvider implements SmsProvider {

  private static final Logger log = LoggerFactory.getLogger(SmppSmsProvider.class);

  /** How each bind connects. */
  public enum BindMode {
    /** One transceiver session per bind: submits and deliveries on one connection. */
    TRANSCEIVER,
    /** A transmitter and a receiver session per bind, for SMSCs that do not offer transceivers. */
    TRANSMITTER_RECEIVER
  }

  /** How texts longer than one part are sent. */
  public enum LongMessageMode {
    /** A user data header with an 8-bit reference in each part (the most widely supported). */
    UDH_8BIT,
    /** A user data header with a 16-bit reference (one unit less per part). */
    UDH_16BIT,
    /** The sar_msg_ref_num, sar_total_segments and sar_segment_seqnum TLVs; the SMSC builds the headers. */
    SAR,
    /** The whole text in one submit_sm's message_payload TLV; the SMSC splits it. */
    MESSAGE_PAYLOAD
  }

  private final SmppConfig config;
  private final String name;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  // sends taken from the queue that could not be put on the wire (the bind died first): they go out before the queue's
  private final ConcurrentLinkedQueue<Pending> retries = new ConcurrentLinkedQueue<>();
  private final Correlator correlator;
  private final MultipartAssembler assembler;
  private volatile List<SmppBind> binds = List.of();
  private final AtomicInteger nextBind = new AtomicInteger();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch closeDone = new CountDownLatch(1);
  private volatile Thread closer;
  private final AtomicInteger reference = new AtomicInteger(ThreadLocalRandom.current().nextInt(0x10000));
  // sends waiting in the queue or the retries, bounded by queueCapacity
  private final AtomicInteger waiting = new AtomicInteger();
  private final Set<Pending> submitting = ConcurrentHashMap.newKeySet();
  private final Object stateLock = new Object();
  private volatile ProviderListener listener = ProviderListener.NONE;
  private volatile SmsException failure;
  private ProviderState reported;
  private boolean everConnected;
  private ScheduledExecutorService housekeeping;
  // deliver_sm read by our PDU reader (never by jsmpp's session, which would hex-dump it at DEBUG), handled here
  private ThreadPoolExecutor inboundWorkers;
  private volatile InboundHandler inbound;
  private final SmppBind.Owner owner = new SmppBind.Owner() {
    @Override
    public void bindChanged(String detail) {
      SmppSmsProvider.this.bindChanged(detail);
    }

    @Override
    public void fail(SmsException e) {
      SmppSmsProvider.this.fail(e);
    }

    @Override
    public void dispatch() {
      SmppSmsProvider.this.dispatch();
    }

    @Override
    public CappedPduReader.Inbound inbound(PipelinedSession session) {
      return inbound.reader(session);
    }
  };

  private SmppSmsProvider(SmppConfig config) {
    this.config = config;
    this.name = config.name;
    this.correlator = new Correlator(config.correlationCapacity);
    this.assembler = new MultipartAssembler(config.clock, config.multipartTimeout, config.maxPendingMultipart);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProviderCapabilities capabilities() {
    return new ProviderCapabilities(true, false, false, 255, EnumSet.allOf(Originator.Kind.class));
  }

  @Override
  public void start(ProviderListener listener) {
    Objects.requireNonNull(listener, "listener == null");
    if (closed.get()) {
      throw new IllegalStateException("provider '" + name + "' is closed");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("provider '" + name + "' was already started");
    }
    this.listener = listener;
    housekeeping =
        Executors.newSingleThreadScheduledExecutor(r -> SmppBind.daemon(r, "smpp-" + name + "-housekeeping"));
    AtomicInteger inboundThreads = new AtomicInteger();
    inboundWorkers = new ThreadPoolExecutor(config.pduThreads, config.pduThreads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(Math.max(100, config.window * 4)),
        r -> SmppBind.daemon(r, "smpp-" + name + "-inbound-" + inboundThreads.incrementAndGet()), (task, pool) -> {
          // full: the reading thread waits (back-pressure on the SMSC), as jsmpp's own PDU queue does
          try {
            if (!pool.isShutdown()) {
              pool.getQueue().put(task);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    inboundWorkers.allowCoreThreadTimeOut(true);
    inbound = new InboundHandler(config, correlator, assembler, () -> !submitting.isEmpty(), () -> this.listener,
        inboundWorkers);
    housekeeping.scheduleWithFixedDelay(this::housekeep, 100, 100, TimeUnit.MILLISECONDS);
    report(ProviderState.CONNECTING, "binding " + config.binds + " x " + config.bindMode + " to " + config.host + ":"
        + config.port);
    List<SmppBind> all = new ArrayList<>();
    for (int i = 0; i < config.binds; i++) {
      all.add(new SmppBind(i, config, closed, owner));
    }
    binds = List.copyOf(all);
    all.forEach(SmppBind::start);
  }

  @Override
  public CompletableFuture<SendReceipt> send(SubmitRequest request) {
    Objects.requireNonNull(request, "request == null");
    CompletableFuture<SendReceipt> future = new CompletableFuture<>();
    try {
      if (closed.get()) {
        throw new SmsTransportException("provider '" + name + "' is closed", name, null, false, null);
      }
      if (!started.get()) {
        // nothing would ever bind or expire the queue: fail now rather than wait for ever
        throw new SmsConfigurationException("provider '" + name + "' is not started: call start(listener) before "
            + "send() (SmsGateway.start() does)");
      }
      SmsException f = failure;
      if (f != null) {
        throw f;
      }
      if (!request.mediaUrls().isEmpty()) {
        throw new SmsValidationException("mediaUrls", "are not supported over SMPP");
      }
      Originator from = request.from().orElse(config.defaultOriginator);
      int ref = config.longMessageMode == LongMessageMode.UDH_8BIT ? reference.incrementAndGet() & 0xFF
          : reference.incrementAndGet() & 0xFFFF;
      SmppCodec.Encoded encoded = SmppCodec.encode(request.plan(), config.longMessageMode, config.latin1, ref);
      Duration ttl = request.validity().filter(v -> v.compareTo(config.queueTimeout) < 0).orElse(config.queueTimeout);
      Pending p = new Pending(request, from, encoded, future, config.clock.millis() + ttl.toMillis());
      if (waiting.incrementAndGet() > config.queueCapacity) {
        waiting.decrementAndGet();
        throw new SmsTransportException("provider '" + name + "': send queue is full (" + config.queueCapacity
            + " messages waiting" + (anyBound() ? "" : ", no bind is up") + "); try again later", name, null, false,
            null);
      }
      queue.add(p);
      SmsException failedMeanwhile = failure;
      if (failedMeanwhile != null && queue.remove(p)) {
        // fail() emptied the queue between our check and our add: nothing would ever take this one
        waiting.decrementAndGet();
        throw failedMeanwhile;
      }
      dispatch();
    } catch (SmsException e) {
      future.completeExceptionally(e);
    } catch (RuntimeException e) {
      future.completeExceptionally(new SmsValidationException("request", "could not be encoded: " + e.getMessage()));
    }
    return future;
  }

  /** The current state. */
  public ProviderState state() {
    synchronized (stateLock) {
      return reported == null ? ProviderState.CONNECTING : reported;
    }
  }

  /** Messages waiting for a bind or a window slot. */
  public int queued() {
    return Math.max(0, waiting.get());
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      // another thread is closing: wait for it, unless that thread is this one (close() from a listener)
      if (closer != Thread.currentThread()) {
        try {
          closeDone.await(config.responseTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return;
    }
    closer = Thread.currentThread();
    try {
      doClose();
    } finally {
      closeDone.countDown();
    }
  }

  private void doClose() {
    for (SmppBind b : binds) {
      b.stop();
    }
    Thread self = Thread.currentThread();
    long deadline = System.nanoTime() + config.responseTimeout.toNanos() + TimeUnit.SECONDS.toNanos(2);
    for (SmppBind b : binds) {
      b.join(self, deadline);
    }
    SmsTransportException notSent = closedBeforeSent();
    for (Pending p; (p = poll()) != null; ) {
      p.future.completeExceptionally(notSent);
    }
    for (Pending p : submitting) {
      p.future.completeExceptionally(closedWhileWaiting());
    }
    if (housekeeping != null) {
      housekeeping.shutdownNow();
    }
    if (inboundWorkers != null) {
      inboundWorkers.shutdownNow();
    }
    report(ProviderState.CLOSED, "closed");
  }

  @Override
  public String toString() {
    return "SmppSmsProvider{name=" + name + ", " + config.host + ":" + config.port + ", systemId=" + config.systemId
        + ", binds=" + config.binds + ", state=" + state() + "}";
  }

  // ------------------------------------------------------------------------------------------ sending

  /**
   * One message on its way: waiting in the queue, then on one bind, its parts submitted one after the other (each part
   * is one outstanding request of the bind's window). It is its own {@link PipelinedSession.Outstanding}, registered
   * again for each part.
   */
  private final class Pending extends PipelinedSession.Outstanding {
    final SubmitRequest request;
    final Originator from;
    final SmppCodec.Encoded encoded;
    final CompletableFuture<SendReceipt> future;
    // on the provider's clock, so a test can run out a message's time to live without waiting for it
    final long deadlineMillis;
    // while on a bind; guarded by the order of events (one part outstanding at a time)
    SmppBind bind;
    PipelinedSession session;
    int part;
    int throttled;
    List<String> ids;

    Pending(SubmitRequest request, Originator from, SmppCodec.Encoded encoded, CompletableFuture<SendReceipt> future,
        long deadlineMillis) {
      this.request = request;
      this.from = from;
      this.encoded = encoded;
      this.future = future;
      this.deadlineMillis = deadlineMillis;
    }

    boolean expired(long nowMillis) {
      return nowMillis > deadlineMillis;
    }

    int parts() {
      return encoded.parts().size();
    }

    @Override
    void answered(int status, String messageId) {
      try {
        if (status == 0) {
          accepted(messageId);
        } else {
          refused(status);
        }
      } catch (RuntimeException e) {
        end(new SmsTransportException("unexpected error after submit_sm_resp: " + e, name, null, true, e));
      }
    }

    private void accepted(String messageId) {
      String id = messageId == null ? "" : messageId;
      ids.add(id);
      correlator.put(id, request.messageId(), encoded.billedParts() > 1 && parts() > 1 ? part : -1);
      part++;
      throttled = 0;
      if (part < parts()) {
        sendPart(this);
        return;
      }
      end(null);
    }

    private void refused(int status) {
      boolean throttle = SmppErrors.category(status) == SmppErrors.Category.THROTTLED;
      if (throttle) {
        bind.limiter.pause(config.throttlePause.toNanos());
      }
      if (part > 0 && throttle && throttled++ < 5 && !expired(config.clock.millis())) {
        // a throttled part was not accepted: sending it again cannot duplicate it, and it keeps the message whole
        sendPart(this);
        return;
      }
      if (part == 0) {
        end(SmppErrors.forSubmit(status, name));
      } else {
        end(new SmsTransportException("SMSC refused part " + (part + 1) + " of " + parts() + " with "
            + SmppErrors.name(status) + " (" + SmppErrors.code(status) + ") after accepting the earlier parts; the"
            + " recipient may see a partial message", name, SmppErrors.code(status), true, null));
      }
    }

    @Override
    void failed(PipelinedSession.Failure failure, Exception cause) {
      String where = "part " + (part + 1) + " of " + parts();
      end(switch (failure) {
        case TIMEOUT -> new SmsTransportException("no submit_sm_resp within " + config.responseTimeout.toMillis()
            + " ms for " + where + "; the SMSC may have accepted the message", name, null, true, cause);
        case INVALID_RESPONSE -> new SmsTransportException("invalid response to submit_sm (" + where + "): "
            + (cause == null ? "" : cause.getMessage()) + "; the SMSC may have accepted the message", name, null,
            true, cause);
        case CONNECTION_LOST -> closed.get()
            ? closedWhileWaiting()
            : new SmsTransportException("connection lost while waiting for submit_sm_resp (" + where + "); the SMSC"
                + " may have accepted the message", name, null, true, cause);
      });
    }

    /** Completes the message (null: sent) and frees its window slot for the next one. */
    void end(SmsException error) {
      if (error == null) {
        future.complete(new SendReceipt(request.messageId(), name, List.copyOf(ids), encoded.billedParts(),
            config.clock.instant(), Map.of()));
      } else {
        future.completeExceptionally(error);
      }
      release();
    }

    /** Back to the front of the line: the bind died before this message's first part reached the wire. */
    void requeue() {
      waiting.incrementAndGet();
      retries.add(this);
      release();
      // this bind is down: another one takes it
      dispatch();
    }

    private void release() {
      SmppBind b = bind;
      bind = null;
      session = null;
      submitting.remove(this);
      if (b != null) {
        b.used.decrementAndGet();
        dispatch(b);
      }
    }
  }

  private Pending poll() {
    Pending p = retries.poll();
    if (p == null) {
      p = queue.poll();
    }
    if (p != null) {
      waiting.decrementAndGet();
    }
    return p;
  }

  /**
   * Moves queued messages onto binds with a free window slot, on the calling thread: the sender's after a send, jsmpp's
   * PDU thread after a response freed a slot, the supervisor's after a (re)bind. Writes never wait for responses.
   */
  private void dispatch() {
    List<SmppBind> all = binds;
    int n = all.size();
    int first = nextBind.getAndIncrement();
    for (int i = 0; i < n && !(retries.isEmpty() && queue.isEmpty()); i++) {
      dispatch(all.get(Math.floorMod(first + i, n)));
    }
  }

  /** Fills {@code b}'s window from the queue. */
  private void dispatch(SmppBind b) {
    // one thread drains a bind at a time (binds in parallel, each on its own socket); a call made meanwhile, also from
    // inside the drain when a send ends at once, makes that drainer go round again instead of recursing or contending
    if (b.dispatchRequests.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      drain(b);
      missed = b.dispatchRequests.addAndGet(-missed);
    } while (missed != 0);
  }

  private void drain(SmppBind b) {
    while (!(retries.isEmpty() && queue.isEmpty())) {
      if (!b.reserveSlot()) {
        // the window is full or the bind is down; whoever frees a slot or binds dispatches again
        return;
      }
      Pending p = poll();
      PipelinedSession s = b.tx;
      if (p == null || s == null || p.future.isDone()) {
        if (p != null && s == null && !p.future.isDone()) {
          waiting.incrementAndGet();
          retries.add(p);
        }
        b.used.decrementAndGet();
        continue;
      }
      if (p.expired(config.clock.millis())) {
        p.future.completeExceptionally(ttlExpired());
        b.used.decrementAndGet();
        continue;
      }
      p.bind = b;
      p.session = s;
      p.part = 0;
      p.ids = new ArrayList<>(p.parts());
      submitting.add(p);
      if (closed.get()) {
        p.end(closedBeforeSent());
        continue;
      }
      sendPart(p);
    }
  }

  /** Writes the current part of {@code p}, now or when the bind's rate allows. */
  private void sendPart(Pending p) {
    long wait = p.bind.limiter.reserve();
    if (wait > 0) {
      try {
        housekeeping.schedule(() -> writePart(p), wait, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing: doClose completes what is still submitting
      }
      return;
    }
    writePart(p);
  }

  private void writePart(Pending p) {
    if (p.future.isDone() || p.bind == null) {
      return;
    }
    SubmitRequest r = p.request;
    int i = p.part;
    SmppCodec.Part part = p.encoded.parts().get(i);
    int[] srcTonNpi = p.from == null ? new int[] {0, 0} : config.tonNpi.get(p.from.kind());
    try {
      p.session.submit(p, config.serviceType, TypeOfNumber.valueOf((byte) srcTonNpi[0]),
          NumberingPlanIndicator.valueOf((byte) srcTonNpi[1]), sourceAddress(p.from),
          TypeOfNumber.valueOf((byte) config.destTonNpi[0]),
          NumberingPlanIndicator.valueOf((byte) config.destTonNpi[1]), r.to().digits(), new ESMClass(part.esmClass()),
          r.validity().map(SmppCodec::validity).orElse(null),
          r.deliveryReport() ? RECEIPT : NO_RECEIPT, dataCoding(part.dataCoding()), part.shortMessage(),
          tlvs(part, r.messageId()));
    } catch (IOException e) {
      // the session cannot transmit or the write failed: this PDU did not reach the SMSC
      if (p.bind.tx == p.session) {
        p.bind.broken = true;
      }
      if (i == 0 && !closed.get()) {
        p.requeue();
      } else if (i == 0) {
        p.end(closedBeforeSent());
      } else {
        p.end(new SmsTransportException("connection lost after part " + i + " of " + p.parts() + " was accepted: "
            + e.getMessage(), name, null, true, e));
      }
    } catch (PDUException e) {
      p.end(new SmsValidationException("request", "cannot be put in a submit_sm: " + e.getMessage()));
    } catch (RuntimeException e) {
      log.error("SMPP provider '{}': unexpected error while submitting: {}", name, e.toString());
      p.end(new SmsTransportException("unexpected error: " + e, name, null, i > 0, e));
    }
  }

  private static final RegisteredDelivery RECEIPT = new RegisteredDelivery(0x01);
  private static final RegisteredDelivery NO_RECEIPT = new RegisteredDelivery(0x00);

  private void housekeep() {
    try {
      long now = config.clock.millis();
      long nanos = System.nanoTime();
      java.util.function.Predicate<Pending> expired = p -> {
        if (p.expired(now) && !p.future.isDone()) {
          p.future.completeExceptionally(ttlExpired());
        }
        if (p.future.isDone()) {
          waiting.decrementAndGet();
          return true;
        }
        return false;
      };
      retries.removeIf(expired);
      queue.removeIf(expired);
      long timeout = config.responseTimeout.toNanos();
      for (SmppBind b : binds) {
        PipelinedSession s = b.tx;
        if (s != null) {
          s.expire(nanos, timeout);
        }
      }
      assembler.sweep();
      dispatch();
    } catch (RuntimeException e) {
      log.warn("SMPP provider '{}': housekeeping failed: {}", name, e.toString());
    }
  }

  private SmsTransportException closedBeforeSent() {
    return new SmsTransportException("provider '" + name + "' was closed before the message was sent", name, null,
        false, null);
  }

  private SmsTransportException closedWhileWaiting() {
    return new SmsTransportException("provider '" + name + "' was closed while waiting for submit_sm_resp; the SMSC may"
        + " have accepted the message", name, null, true, null);
  }

  private SmsTransportException ttlExpired() {
    return new SmsTransportException("provider '" + name + "': the message's time to live ran out before a bind was"
        + " available to send it (" + (anyBound() ? "all windows busy" : "no bind is up") + ")", name, null, false,
        null);
  }

  private boolean anyBound() {
    for (SmppBind b : binds) {
      if (b.tx != null) {
        return true;
      }
    }
    return false;
  }

  private static final org.jsmpp.bean.DataCoding[] DATA_CODINGS = {DataCodings.ZERO,
      DataCodings.newInstance((byte) SmppCodec.DC_LATIN1), DataCodings.newInstance((byte) SmppCodec.DC_UCS2)};
  private static final OptionalParameter[] NO_TLVS = new OptionalParameter[0];

  private static org.jsmpp.bean.DataCoding dataCoding(int dc) {
    return switch (dc) {
      case SmppCodec.DC_DEFAULT -> DATA_CODINGS[0];
      case SmppCodec.DC_LATIN1 -> DATA_CODINGS[1];
      case SmppCodec.DC_UCS2 -> DATA_CODINGS[2];
      default -> DataCodings.newInstance((byte) dc);
    };
  }

  private OptionalParameter[] tlvs(SmppCodec.Part part, String messageId) {
    if (part.sar().isEmpty() && part.payload() == null && config.messageIdTag == 0) {
      return NO_TLVS;
    }
    List<OptionalParameter> out = new ArrayList<>(4);
    for (int[] t : part.sar()) {
      if (t[0] == SmppCodec.TAG_SAR_MSG_REF_NUM) {
        out.add(new OptionalParameter.Short((short) t[0], (short) t[1]));
      } else {
        out.add(new OptionalParameter.Byte((short) t[0], (byte) t[1]));
      }
    }
    if (part.payload() != null) {
      out.add(new OptionalParameter.OctetString((short) SmppCodec.TAG_MESSAGE_PAYLOAD, part.payload()));
    }
    if (config.messageIdTag != 0) {
      out.add(new OptionalParameter.OctetString((short) config.messageIdTag,
          messageId.getBytes(StandardCharsets.US_ASCII)));
    }
    return out.toArray(new OptionalParameter[0]);
  }

  private static String sourceAddress(Originator from) {
    if (from == null) {
      return "";
    }
    return switch (from.kind()) {
      case LONG_CODE, TOLL_FREE -> from.address().substring(1);
      case SHORT_CODE, ALPHANUMERIC -> from.address();
    };
  }

  // ------------------------------------------------------------------------------------------ state

  private void report(ProviderState state, String detail) {
    synchronized (stateLock) {
      if (reported == ProviderState.CLOSED || reported == state) {
        return;
      }
      if (reported == ProviderState.FAILED && state != ProviderState.CLOSED) {
        return;
      }
      reported = state;
    }
    try {
      listener.onStateChange(name, state, detail);
    } catch (RuntimeException e) {
      log.warn("SMPP provider '{}': state listener threw {}", name, e.toString());
    }
  }

  private void bindChanged(String detail) {
    if (closed.get()) {
      return;
    }
    boolean any = anyBound();
    ProviderState next;
    synchronized (stateLock) {
      if (any) {
        everConnected = true;
        next = ProviderState.CONNECTED;
      } else {
        next = everConnected ? ProviderState.DISCONNECTED : ProviderState.CONNECTING;
      }
    }
    report(next, detail);
  }

  private void fail(SmsException e) {
    failure = e;
    for (SmppBind b : binds) {
      b.stop();
    }
    for (Pending p; (p = poll()) != null; ) {
      p.future.completeExceptionally(e);
    }
    report(ProviderState.FAILED, e.getMessage());
  }

  /** Builds {@link SmppSmsProvider}. Not thread-safe. */
  public static final class Builder {
    private String name = "smpp";
    private String host;
    private int port = 2775;
    private String systemId;
    private String password = "";
    private String systemType = "";
    private String addressRange = "";
    private String serviceType = "";
    private BindMode bindMode = BindMode.TRANSCEIVER;
    private int binds = 1;
    private int window = 10;
    private int partsPerSecond;
    private Duration enquireLinkInterval = Duration.ofSeconds(30);
    private Duration responseTimeout = Duration.ofSeconds(10);
    private Duration bindTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private Duration throttlePause = Duration.ofMillis(200);
    private int queueCapacity = 10_000;
    private Duration queueTimeout = Duration.ofMinutes(1);
    private LongMessageMode longMessageMode = LongMessageMode.UDH_8BIT;
    private boolean latin1;
    private boolean gsmDefaultAlphabet = true;
    private Originator defaultOriginator;
    private String defaultRegion;
    private java.util.function.Function<Originator, Optional<String>> inboundRegions;
    private int messageIdTag;
    private Duration multipartTimeout = Duration.ofMinutes(5);
    private int maxPendingMultipart = 10_000;
    private Duration receiptWait = Duration.ofSeconds(2);
    private int correlationCapacity = 200_000;
    private int pduThreads = 4;
    private int maxPduLength = CappedPduReader.DEFAULT_MAX;
    private final Map<Originator.Kind, int[]> tonNpi = new EnumMap<>(Originator.Kind.class);
    private int[] destTonNpi = {1, 1};
    private Clock clock = Clock.systemUTC();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private Sleeper sleeper = Sleeper.REAL;

    private Builder() {
      tonNpi.put(Originator.Kind.LONG_CODE, new int[] {1, 1});
      tonNpi.put(Originator.Kind.TOLL_FREE, new int[] {1, 1});
      tonNpi.put(Originator.Kind.SHORT_CODE, new int[] {3, 1});
      tonNpi.put(Originator.Kind.ALPHANUMERIC, new int[] {5, 0});
    }

    /** The provider instance name. Default {@code smpp}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name == null");
      return this;
    }

    /** The SMSC host. Required: {@link #build()} refuses a null or blank one. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The SMSC port. Default 2775. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** system_id for the bind. Required: {@link #build()} refuses a null or blank one. */
    public Builder systemId(String systemId) {
      this.systemId = systemId;
      return this;
    }

    /**
     * The bind password (at most 8 characters in SMPP 3.4). Never logged. Default empty, for an SMSC that takes none.
     *
     * @throws SmsConfigurationException if {@code password} is null (typically {@code System.getenv} of a variable
     *     that is not set): give {@code ""} for an SMSC that takes no password
     */
    public Builder password(String password) {
      if (password == null) {
        throw new SmsConfigurationException("smpp.password is null (read from an environment variable or setting that"
            + " is not set?); give \"\" for an SMSC that takes no password");
      }
      this.password = password;
      return this;
    }

    /** system_type for the bind. Default empty. */
    public Builder systemType(String systemType) {
      this.systemType = Objects.requireNonNull(systemType, "systemType == null");
      return this;
    }

    /** address_range for the bind (which MO addresses this ESME serves). Default empty. */
    public Builder addressRange(String addressRange) {
      this.addressRange = Objects.requireNonNull(addressRange, "addressRange == null");
      return this;
    }

    /** service_type of each submit_sm. Default empty (the SMSC default). */
    public Builder serviceType(String serviceType) {
      this.serviceType = Objects.requireNonNull(serviceType, "serviceType == null");
      return this;
    }

    /** Transceiver, or transmitter + receiver. Default {@link BindMode#TRANSCEIVER}. */
    public Builder bindMode(BindMode bindMode) {
      this.bindMode = Objects.requireNonNull(bindMode, "bindMode == null");
      return this;
    }

    /** Parallel binds. Default 1. */
    public Builder binds(int binds) {
      this.binds = binds;
      return this;
    }

    /** Outstanding submit_sm requests per bind (pipelined). Default 10; keep it below the SMSC's queue. */
    public Builder window(int window) {
      this.window = window;
      return this;
    }

    /** The most SMS parts a second each bind sends; 0 (default) means no cap. */
    public Builder partsPerSecond(int partsPerSecond) {
      this.partsPerSecond = partsPerSecond;
      return this;
    }

    /** How often an idle bind sends enquire_link. Default 30 s. */
    public Builder enquireLinkInterval(Duration interval) {
      this.enquireLinkInterval = Objects.requireNonNull(interval, "interval == null");
      return this;
    }

    /** How long to wait for submit_sm_resp before reporting a possibly delivered message. Default 10 s. */
    public Builder responseTimeout(Duration timeout) {
      this.responseTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /** How long to wait for bind_resp. Default 10 s. */
    public Builder bindTimeout(Duration timeout) {
      this.bindTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /** How long to wait for the TCP connection. Default 5 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /** The reconnect backoff: first ceiling and cap (full jitter in between). Default 1 s and 60 s. */
    public Builder reconnectBackoff(Duration initial, Duration max) {
      this.initialBackoff = Objects.requireNonNull(initial, "initial == null");
      this.maxBackoff = Objects.requireNonNull(max, "max == null");
      return this;
    }

    /** How long a bind holds its sends after the SMSC answered ESME_RTHROTTLED or ESME_RMSGQFUL. Default 200 ms. */
    public Builder throttlePause(Duration pause) {
      this.throttlePause = Objects.requireNonNull(pause, "pause == null");
      return this;
    }

    /** How many sends may wait for a bind or a window slot. Default 10,000. */
    public Builder queueCapacity(int capacity) {
      this.queueCapacity = capacity;
      return this;
    }

    /** How long a send may wait in the queue (a shorter validity period wins). Default 1 minute. */
    public Builder queueTimeout(Duration timeout) {
      this.queueTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /** How long texts are sent. Default {@link LongMessageMode#UDH_8BIT}. */
    public Builder longMessageMode(LongMessageMode mode) {
      this.longMessageMode = Objects.requireNonNull(mode, "mode == null");
      return this;
    }

    /** Send texts outside GSM-7 but inside Latin-1 as data_coding 3 (140 per part) instead of UCS-2. Default false. */
    public Builder latin1(boolean latin1) {
      this.latin1 = latin1;
      return this;
    }

    /** Read inbound data_coding 0 as GSM 03.38 (default true) or as Latin-1 (some SMSCs do). */
    public Builder gsmDefaultAlphabet(boolean gsm) {
      this.gsmDefaultAlphabet = gsm;
      return this;
    }

    /** The sender used when a request has none; null leaves source_addr empty (the SMSC's default). */
    public Builder defaultOriginator(Originator originator) {
      this.defaultOriginator = originator;
      return this;
    }

    /** ISO 3166-1 region to read national inbound numbers and short codes in. */
    public Builder defaultRegion(String region) {
      this.defaultRegion = region;
      return this;
    }

    /**
     * The region to read a customer's national number (a source address without country code) in, by the business
     * number the message was sent to; empty falls back to {@link #defaultRegion}. With sms-routing, the mapping's
     * default country: {@code number -> conversations.router().configuration().mappingFor(number)
     * .map(Mapping::defaultCountry)} (which follows a replaced configuration).
     */
    public Builder inboundRegions(java.util.function.Function<Originator, Optional<String>> regionByBusinessNumber) {
      this.inboundRegions = Objects.requireNonNull(regionByBusinessNumber, "inboundRegions == null");
      return this;
    }

    /**
     * A vendor-specific TLV tag (0x1400-0x3FFF) that carries our message id in each submit_sm for correlation on the
     * SMSC side; 0 (default) sends none, since some SMSCs refuse unknown TLVs.
     */
    public Builder messageIdTag(int tag) {
      this.messageIdTag = tag;
      return this;
    }

    /** Overrides the source TON and NPI for one kind of originator. */
    public Builder sourceTonNpi(Originator.Kind kind, int ton, int npi) {
      tonNpi.put(Objects.requireNonNull(kind, "kind == null"), new int[] {ton, npi});
      return this;
    }

    /** Overrides the destination TON and NPI. Default 1/1 (international, ISDN E.164). */
    public Builder destinationTonNpi(int ton, int npi) {
      this.destTonNpi = new int[] {ton, npi};
      return this;
    }

    /** How long parts of an inbound message wait for the rest, and how many groups may wait. Default 5 min, 10,000. */
    public Builder multipartReassembly(Duration timeout, int maxPendingGroups) {
      this.multipartTimeout = Objects.requireNonNull(timeout, "timeout == null");
      this.maxPendingMultipart = maxPendingGroups;
      return this;
    }

    /** How long a receipt that overtook its submit_sm_resp waits for it. Default 2 s. */
    public Builder receiptCorrelationWait(Duration wait) {
      this.receiptWait = Objects.requireNonNull(wait, "wait == null");
      return this;
    }

    /** Threads per session that process incoming PDUs and run the listener. Default 4 (at least 2). */
    public Builder pduThreads(int threads) {
      this.pduThreads = threads;
      return this;
    }

    /** The largest PDU accepted from the wire. Default 70,000 bytes. */
    public Builder maxPduLength(int bytes) {
      this.maxPduLength = bytes;
      return this;
    }

    /** The clock for receipts and timestamps. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    Builder random(DoubleSupplier random) {
      this.random = random;
      return this;
    }

    Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    /**
     * Builds the provider; {@link SmppSmsProvider#start} connects it.
     *
     * @throws SmsConfigurationException naming a missing or invalid setting
     */
    public SmppSmsProvider build() {
      require(host != null && !host.isBlank(), "smpp.host is required");
      require(port > 0 && port < 65536, "smpp.port must be 1-65535: " + port);
      require(systemId != null && !systemId.isBlank(), "smpp.systemId is required");
      require(systemId.length() <= 15, "smpp.systemId must be at most 15 characters");
      require(password.length() <= 8, "smpp.password must be at most 8 characters (SMPP 3.4 section 4.1.1)");
      require(binds >= 1 && binds <= 64, "smpp.binds must be 1-64: " + binds);
      require(window >= 1 && window <= 1000, "smpp.window must be 1-1000: " + window);
      require(partsPerSecond >= 0, "smpp.partsPerSecond must be >= 0: " + partsPerSecond);
      require(queueCapacity >= 1, "smpp.queueCapacity must be >= 1: " + queueCapacity);
      require(pduThreads >= 2, "pduThreads must be >= 2: " + pduThreads);
      require(maxPduLength >= 1024, "maxPduLength must be >= 1024: " + maxPduLength);
      require(messageIdTag == 0 || (messageIdTag >= 0x1400 && messageIdTag <= 0x3FFF),
          "smpp.messageIdTag must be 0 or a vendor-specific tag 0x1400-0x3FFF");
      require(!responseTimeout.isNegative() && !responseTimeout.isZero(), "smpp.responseTimeout must be positive");
      require(!enquireLinkInterval.isNegative() && !enquireLinkInterval.isZero(),
          "smpp.enquireLinkInterval must be positive");
      require(maxBackoff.compareTo(initialBackoff) >= 0, "smpp.maxBackoff must be >= the initial backoff");
      require(maxPendingMultipart >= 1, "maxPendingGroups must be >= 1");
      SmppConfig c = new SmppConfig();
      c.name = name;
      c.host = host;
      c.port = port;
      c.systemId = systemId;
      c.password = password;
      c.systemType = systemType;
      c.addressRange = addressRange;
      c.serviceType = serviceType;
      c.bindMode = bindMode;
      c.binds = binds;
      c.window = window;
      c.partsPerSecond = partsPerSecond;
      c.enquireLinkInterval = enquireLinkInterval;
      c.responseTimeout = responseTimeout;
      c.bindTimeout = bindTimeout;
      c.throttlePause = throttlePause;
      c.queueCapacity = queueCapacity;
      c.queueTimeout = queueTimeout;
      c.longMessageMode = longMessageMode;
      c.latin1 = latin1;
      c.gsmDefaultAlphabet = gsmDefaultAlphabet;
      c.defaultOriginator = defaultOriginator;
      c.defaultRegion = defaultRegion;
      c.inboundRegions = inboundRegions;
      c.messageIdTag = messageIdTag;
      c.multipartTimeout = multipartTimeout;
      c.maxPendingMultipart = maxPendingMultipart;
      c.receiptWait = receiptWait;
      c.correlationCapacity = correlationCapacity;
      c.pduThreads = pduThreads;
      c.maxPduLength = maxPduLength;
      c.tonNpi = new EnumMap<>(tonNpi);
      c.destTonNpi = destTonNpi.clone();
      c.clock = clock;
      c.backoff = new Backoff(initialBackoff, maxBackoff, random);
      c.sleeper = sleeper;
      c.connectionFactory = new NoDelayConnectionFactory((int) connectTimeout.toMillis());
      return new SmppSmsProvider(c);
    }

    private static void require(boolean ok, String problem) {
      if (!ok) {
        throw new SmsConfigurationException(problem);
      }
    }
  }
}
