package dev.smsgateway.smpp;

import dev.smsgateway.SmsException;
import dev.smsgateway.smpp.SmppSmsProvider.BindMode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;

/**
 * One bind and its supervisor: the thread that connects and binds its session(s), waits until the link is lost, and
 * reconnects with exponential backoff and full jitter, or stops reconnecting with one clear log line when the SMSC
 * refuses the credentials. Also holds the bind's window of outstanding submits and its parts-per-second limiter,
 * which the submit pipeline fills.
 */
final class SmppBind {

  // the provider's logger: the log lines are the provider's, whichever class writes them
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SmppSmsProvider.class);

  /** What a bind tells its provider, and asks of it. */
  interface Owner {
    /** A bind came up or went down; {@code detail} says which and why. */
    void bindChanged(String detail);

    /** The SMSC refused the bind for good (bad credentials): fail the provider. */
    void fail(SmsException e);

    /** A session is bound: move queued messages onto it. */
    void dispatch();

    /** The reader for {@code session}'s deliver_sm. */
    CappedPduReader.Inbound inbound(PipelinedSession session);
  }

  private final SmppConfig config;
  private final String name;
  private final AtomicBoolean closed;
  private final Owner owner;
  final int index;
  final RateLimiter limiter;
  final Object boundLock = new Object();
  // window slots taken: messages of this bind between their first part's write and their end
  final AtomicInteger used = new AtomicInteger();
  final AtomicInteger dispatchRequests = new AtomicInteger();
  volatile Thread supervisor;
  volatile boolean running = true;
  volatile PipelinedSession tx;
  volatile PipelinedSession rx;
  // the session whose bind is in progress, so that stop() can end it without jsmpp logging a timeout
  volatile PipelinedSession binding;
  // a write failed on tx: take no more messages until the supervisor brings a new session
  volatile boolean broken;
  volatile CountDownLatch lost;
  // the peer sent a PDU we refused: the stream cannot be trusted, close without unbind
  volatile boolean corrupted;

  SmppBind(int index, SmppConfig config, AtomicBoolean closed, Owner owner) {
    this.index = index;
    this.config = config;
    this.name = config.name;
    this.closed = closed;
    this.owner = owner;
    this.limiter = new RateLimiter(config.partsPerSecond);
  }

  void start() {
    Thread s = daemon(this::supervise, "smpp-" + name + "-" + index + "-supervisor");
    supervisor = s;
    s.start();
  }

  boolean sendable() {
    PipelinedSession s = tx;
    return s != null && !broken && s.getSessionState().isTransmittable();
  }

  /** Takes one window slot if the bind can transmit and has one free. */
  boolean reserveSlot() {
    if (!sendable()) {
      return false;
    }
    for (int n = used.get(); n < config.window; n = used.get()) {
      if (used.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  void stop() {
    running = false;
    PipelinedSession b = binding;
    Thread t = supervisor;
    if (b != null) {
      // interrupting jsmpp's wait for the bind_resp makes it log an ERROR with a stack trace: end it instead
      b.abandonBind();
    } else if (t != null && t != Thread.currentThread()) {
      t.interrupt();
    }
    closeSessions();
  }

  void join(Thread self, long deadlineNanos) {
    Thread t = supervisor;
    if (t == null || t == self) {
      return;
    }
    long left = deadlineNanos - System.nanoTime();
    try {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void supervise() {
    int attempt = 0;
    while (running && !closed.get()) {
      int status = -1;
      String reason;
      try {
        CountDownLatch l = new CountDownLatch(1);
        lost = l;
        corrupted = false;
        connect(l);
        attempt = 0;
        owner.bindChanged("bind " + index + " up");
        l.await();
        reason = corrupted ? "the SMSC sent a malformed PDU" : "connection lost";
      } catch (BindRefused e) {
        status = e.status;
        reason = "bind refused with " + SmppErrors.name(status);
      } catch (IOException e) {
        reason = "connect failed: " + e.getMessage();
      } catch (InterruptedException e) {
        break;
      } finally {
        closeSessions();
      }
      if (!running || closed.get()) {
        break;
      }
      owner.bindChanged("bind " + index + ": " + reason);
      if (status != -1 && SmppErrors.stopsReconnecting(status)) {
        SmsException e = SmppErrors.forBind(status, name, config.systemId);
        log.error("SMPP provider '{}' stopped reconnecting: {}", name, e.getMessage());
        owner.fail(e);
        return;
      }
      attempt++;
      Duration d = config.backoff.delay(attempt, status == SmppErrors.ESME_RALYBND);
      log.info("SMPP provider '{}' bind {}: {}; reconnecting in {} ms (attempt {})", name, index, reason,
          d.toMillis(), attempt + 1);
      try {
        config.sleeper.sleep(d);
      } catch (InterruptedException e) {
        break;
      }
    }
  }

  private void connect(CountDownLatch l) throws IOException {
    if (config.bindMode == BindMode.TRANSCEIVER) {
      PipelinedSession s = session(l);
      bind(s, BindType.BIND_TRX);
      rx = s;
      setBound(s);
    } else {
      PipelinedSession t = session(l);
      bind(t, BindType.BIND_TX);
      PipelinedSession r = session(l);
      try {
        bind(r, BindType.BIND_RX);
      } catch (IOException e) {
        t.unbindAndClose();
        throw e;
      }
      rx = r;
      setBound(t);
    }
  }

  private PipelinedSession session(CountDownLatch l) {
    CappedPduReader reader = new CappedPduReader(config.maxPduLength, () -> {
      corrupted = true;
      l.countDown();
    });
    PipelinedSession s = new PipelinedSession(reader, config.connectionFactory);
    reader.divert(owner.inbound(s));
    reader.watchBind(s.bindWatcher());
    s.setEnquireLinkTimer((int) config.enquireLinkInterval.toMillis());
    s.setTransactionTimer(config.responseTimeout.toMillis());
    s.setPduProcessorDegree(config.pduThreads);
    s.setQueueCapacity(Math.max(100, config.window * 4));
    s.addSessionStateListener((newState, oldState, source) -> {
      if (newState == SessionState.CLOSED || newState == SessionState.UNBOUND) {
        l.countDown();
      }
    });
    return s;
  }

  private void bind(PipelinedSession s, BindType type) throws IOException {
    binding = s;
    try {
      if (!running) {
        throw new IOException("closed before binding");
      }
      s.connectAndBind(config.host, config.port, new BindParameter(type, config.systemId, config.password,
          config.systemType, TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, config.addressRange),
          config.bindTimeout.toMillis());
    } catch (IOException e) {
      s.close();
      if (e.getCause() instanceof NegativeResponseException n) {
        throw new BindRefused(n.getCommandStatus());
      }
      // the refusal read by our reader, however jsmpp ended the bind (the SMSC often closes right after it)
      int refusal = s.bindRefusal();
      if (refusal != 0) {
        throw new BindRefused(refusal);
      }
      throw e;
    } finally {
      binding = null;
    }
    int refused = s.bindRefusal();
    if (refused != 0) {
      // our reader took the refusal and ended jsmpp's wait with a stand-in (see PipelinedSession.bindWatcher)
      s.close();
      throw new BindRefused(refused);
    }
    if (!running) {
      // stop() ended the bind with a stand-in (PipelinedSession.abandonBind), or it completed as we were stopped
      s.close();
      throw new IOException("closed while binding");
    }
  }

  private void setBound(PipelinedSession s) {
    synchronized (boundLock) {
      tx = s;
      broken = false;
    }
    owner.dispatch();
  }

  private void closeSessions() {
    PipelinedSession t;
    PipelinedSession r;
    synchronized (boundLock) {
      t = tx;
      r = rx;
      tx = null;
      rx = null;
    }
    release(t);
    if (r != t) {
      release(r);
    }
  }

  private void release(PipelinedSession s) {
    if (s == null) {
      return;
    }
    if (!corrupted && s.getSessionState().isBound()) {
      // responses still in flight may arrive before unbind_resp and complete normally
      s.unbindAndClose();
    } else {
      s.close();
    }
    s.failAll(PipelinedSession.Failure.CONNECTION_LOST);
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static final class BindRefused extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;

    BindRefused(int status) {
      super("bind refused: " + SmppErrors.name(status));
      this.status = status;
    }
  }
}
