package dev.smsgateway.smpp;

import dev.smsgateway.Originator;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.smpp.SmppSmsProvider.LongMessageMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.PDUException;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submit pipeline: the queue of sends waiting for a bind, the dispatch of each onto a bind with a free window
 * slot, the submit_sm of its parts (paced by the bind's rate), and the submit_sm_resp that completes a send (its
 * message ids recorded for receipts) and puts the next queued one on the wire. Also ends sends whose time to live
 * or response timeout ran out. No thread waits per outstanding request.
 */
final class SubmitPipeline {

  // the provider's logger: the log lines are the provider's, whichever class writes them
  private static final Logger log = LoggerFactory.getLogger(SmppSmsProvider.class);

  private final SmppConfig config;
  private final String name;
  private final AtomicBoolean closed;
  private final Correlator correlator;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  // sends taken from the queue that could not be put on the wire (the bind died first): they go out before the queue's
  private final ConcurrentLinkedQueue<Pending> retries = new ConcurrentLinkedQueue<>();
  private volatile List<SmppBind> binds = List.of();
  private final AtomicInteger nextBind = new AtomicInteger();
  private final AtomicInteger reference = new AtomicInteger(ThreadLocalRandom.current().nextInt(0x10000));
  // sends waiting in the queue or the retries, bounded by queueCapacity
  private final AtomicInteger waiting = new AtomicInteger();
  private final Set<Pending> submitting = ConcurrentHashMap.newKeySet();
  private volatile SmsException failure;
  // runs the parts a bind's rate holds back; set (before the binds) when the provider starts
  private ScheduledExecutorService housekeeping;

  SubmitPipeline(SmppConfig config, AtomicBoolean closed, Correlator correlator) {
    this.config = config;
    this.name = config.name;
    this.closed = closed;
    this.correlator = correlator;
  }

  /** The provider started: the binds to fill (not yet started) and the thread for parts held back by a rate. */
  void start(List<SmppBind> binds, ScheduledExecutorService housekeeping) {
    this.housekeeping = housekeeping;
    this.binds = binds;
  }

  List<SmppBind> binds() {
    return binds;
  }

  /**
   * Queues {@code request} (its parts encoded now) and puts it on a bind with a free window slot if there is one;
   * {@code future} completes when the last part's submit_sm_resp arrives, or with the reason it was not sent.
   *
   * @throws SmsException if the queue is full or the provider failed
   */
  void enqueue(SubmitRequest request, CompletableFuture<SendReceipt> future) {
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
  }

  /** Messages waiting for a bind or a window slot. */
  int queued() {
    return Math.max(0, waiting.get());
  }

  /** Whether a message is on a bind, so a submit_sm_resp may still be on its way. */
  boolean sendsInFlight() {
    return !submitting.isEmpty();
  }

  /** Why sends fail now (the SMSC refused the credentials), or null. */
  SmsException failure() {
    return failure;
  }

  /** The provider failed for good: stops the binds and fails every queued send with {@code e}. */
  void fail(SmsException e) {
    failure = e;
    for (SmppBind b : binds) {
      b.stop();
    }
    for (Pending p; (p = poll()) != null; ) {
      p.future.completeExceptionally(e);
    }
  }

  /** The provider closed and its binds stopped: fails what is still queued or waiting for a response. */
  void closeAll() {
    SmsTransportException notSent = closedBeforeSent();
    for (Pending p; (p = poll()) != null; ) {
      p.future.completeExceptionally(notSent);
    }
    for (Pending p : submitting) {
      p.future.completeExceptionally(closedWhileWaiting());
    }
  }

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
  void dispatch() {
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

  /**
   * Ends the sends whose time to live ran out while they waited (and drops those already ended), and the submits
   * that waited longer than the response timeout for their submit_sm_resp. Run by the housekeeping thread.
   */
  void expire() {
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

  boolean anyBound() {
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
}
