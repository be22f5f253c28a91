package dev.smsgateway.test.smsc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import dev.smsgateway.smpp.wire.QuietPduSender;
import org.jsmpp.DefaultPDUReader;
import org.jsmpp.PDUStringException;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.ServerResponseDeliveryAdapter;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;

// Slightly past 600 lines, knowingly: what is left is one SMPP server session model (accepting and binding sessions,
// answering submits as scripted, delivering to bound receivers, closing) whose parts share the scripted state and the
// session maps. Its pieces of one job live beside it: SubmitDecoder (reading a submit_sm), DeliverPdus (MO and receipt
// PDUs), SubmitLog (what was received), NotifyingConnection (the socket), UnsupportedRequests (refused requests).
/**
 * An in-process SMSC on {@code 127.0.0.1} with an ephemeral port, for tests: it accepts SMPP 3.4 binds, answers
 * {@code submit_sm} with message ids, records what it received, sends mobile-originated messages and delivery receipts
 * on demand or automatically, and can be scripted to throttle, reject, answer late, drop responses, refuse binds and
 * kill every session. Built on jsmpp's server side; use it like GreenMail for mail.
 *
 * <pre>{@code
 * try (SmscSimulator smsc = SmscSimulator.builder().credentials("esme", "secret").build().start()) {
 *   // point your SMPP client at smsc.host():smsc.port()
 *   smsc.awaitBound(1, Duration.ofSeconds(5));          // before deliverMo: it needs a bound receiver
 *   // ... the client sends ...
 *   smsc.awaitAccepted(1, Duration.ofSeconds(5));
 *   ReceivedSubmit sms = smsc.accepted().get(0);
 *   smsc.deliverReceipt(sms, "DELIVRD");
 *   smsc.deliverMo("+15550000001", "12345", "STOP");
 * }
 * }</pre>
 *
 * <p>Thread-safe: scripting methods may be called from any thread while clients are connected.
 */
public final class SmscSimulator implements AutoCloseable {

  /** How the simulator renders the message ids it hands out. */
  public enum MessageIdFormat {
    /** Lower-case hexadecimal, the most common form ({@code 1a2b3c}). */
    HEX,
    /** Decimal digits. */
    DECIMAL
  }

  /** How {@link #deliverMo(String, String, String, Concatenation)} splits a long mobile-originated message. */
  public enum Concatenation {
    /** A user data header with an 8-bit reference (IE 0x00). */
    UDH_8BIT,
    /** A user data header with a 16-bit reference (IE 0x08). */
    UDH_16BIT,
    /** The sar_msg_ref_num, sar_total_segments and sar_segment_seqnum TLVs. */
    SAR
  }

  private static final int STAT_ESME_RSYSERR = 0x08;
  private static final int STAT_ESME_RINVPASWD = 0x0E;
  private static final int STAT_ESME_RINVSYSID = 0x0F;

  private final String systemId;
  private final String password;
  private final MessageIdFormat idFormat;
  private final int pduThreads;
  private final Clock clock;

  private volatile SubmitHandler submitHandler = SubmitHandler.ACCEPT_ALL;
  private volatile int refuseBindStatus;
  private volatile boolean autoReceipts;
  private volatile String autoReceiptStat = "DELIVRD";
  private volatile boolean receiptBeforeResponse;
  private volatile boolean receiptTlvs = true;

  private final AtomicLong nextId = new AtomicLong(0x10000);
  private final AtomicInteger nextRef = new AtomicInteger();
  private final AtomicInteger bindAttempts = new AtomicInteger();
  private final AtomicInteger roundRobin = new AtomicInteger();
  private final SubmitLog received = new SubmitLog();
  private final Set<SMPPServerSession> sessions = ConcurrentHashMap.newKeySet();
  private final Map<SMPPServerSession, String> systemIds = new ConcurrentHashMap<>();
  private final Map<SMPPServerSession, NotifyingConnection> connections = new ConcurrentHashMap<>();
  private final CountDownLatch closedLatch = new CountDownLatch(1);

  private ServerSocket serverSocket;
  private ExecutorService workers;
  private Thread acceptor;
  private volatile boolean closed;

  private SmscSimulator(Builder b) {
    this.systemId = b.systemId;
    this.password = b.password;
    this.idFormat = b.idFormat;
    this.pduThreads = b.pduThreads;
    this.clock = b.clock;
    this.autoReceipts = b.autoReceipts;
    this.receiptBeforeResponse = b.receiptBeforeResponse;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Listens on {@code 127.0.0.1} with an ephemeral port and starts accepting binds.
   *
   * @return this
   * @throws IllegalStateException if the socket cannot be opened or the simulator was started before
   */
  public synchronized SmscSimulator start() {
    if (serverSocket != null) {
      throw new IllegalStateException("already started");
    }
    try {
      serverSocket = new ServerSocket();
      serverSocket.setReuseAddress(true);
      serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on 127.0.0.1: " + e.getMessage(), e);
    }
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf = r -> {
      Thread t = new Thread(r, "smsc-sim-" + port() + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    workers = Executors.newCachedThreadPool(tf);
    acceptor = tf.newThread(this::acceptLoop);
    acceptor.start();
    return this;
  }

  /** The host to connect to: always {@code 127.0.0.1}. */
  public String host() {
    return "127.0.0.1";
  }

  /** The port it listens on. */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /** The system_id clients must bind with. */
  public String systemId() {
    return systemId;
  }

  /** The password clients must bind with. */
  public String password() {
    return password;
  }

  // ---------------------------------------------------------------- scripting

  /** Decides how each following {@code submit_sm} is answered. */
  public SmscSimulator onSubmit(SubmitHandler handler) {
    this.submitHandler = Objects.requireNonNull(handler, "handler == null");
    return this;
  }

  /** Refuses every following bind with {@code commandStatus} (for example 0x05 ESME_RALYBND); 0 accepts again. */
  public SmscSimulator refuseBinds(int commandStatus) {
    this.refuseBindStatus = commandStatus;
    return this;
  }

  /** Sends a delivery receipt with {@code stat} after each accepted submit that asked for one. */
  public SmscSimulator autoDeliveryReceipts(boolean enabled, String stat) {
    this.autoReceipts = enabled;
    this.autoReceiptStat = Objects.requireNonNull(stat, "stat == null");
    return this;
  }

  /** Writes automatic receipts to the wire before the {@code submit_sm_resp} they are about (SMSCs do this). */
  public SmscSimulator receiptBeforeResponse(boolean enabled) {
    this.receiptBeforeResponse = enabled;
    return this;
  }

  /** Whether receipts carry the receipted_message_id and message_state TLVs besides the text. Default true. */
  public SmscSimulator receiptTlvs(boolean enabled) {
    this.receiptTlvs = enabled;
    return this;
  }

  /** Closes every client connection at once, without unbind, as a crashing SMSC would. */
  public void killSessions() {
    for (SMPPServerSession s : List.copyOf(sessions)) {
      NotifyingConnection c = connections.get(s);
      if (c != null) {
        c.abort();
      }
      s.close();
    }
  }

  // ---------------------------------------------------------------- what happened

  /** Every submit received so far, in arrival order, with the simulator's answer. */
  public List<ReceivedSubmit> received() {
    return received.all();
  }

  /** The submits that were accepted. */
  public List<ReceivedSubmit> accepted() {
    return received.accepted();
  }

  /** Forgets what was received. */
  public void clearReceived() {
    received.clear();
  }

  /** Waits until at least {@code count} submits were accepted; returns whether that happened in time. */
  public boolean awaitAccepted(int count, Duration timeout) throws InterruptedException {
    return received.awaitAccepted(count, timeout);
  }

  /**
   * The full texts of accepted messages, reassembled from their parts (by source, destination and concatenation
   * reference), in the order their last part arrived. Incomplete messages are left out.
   */
  public List<String> acceptedTexts() {
    return received.acceptedTexts();
  }


  /** Bind requests seen so far, accepted or refused. */
  public int bindAttempts() {
    return bindAttempts.get();
  }

  /** Sessions currently bound. */
  public int boundSessions() {
    return (int) sessions.stream().filter(s -> s.getSessionState().isBound()).count();
  }

  /** Waits until at least {@code count} sessions are bound. */
  public boolean awaitBound(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (boundSessions() < count) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      // polling real I/O state with a deadline: the bind happens on the client's threads
      Thread.sleep(5);
    }
    return true;
  }

  // ---------------------------------------------------------------- sending to the client

  /**
   * Sends a mobile-originated message from {@code from} to {@code to}, split into parts with an 8-bit UDH when it is
   * long. Addresses starting with {@code +} go as international numbers, short digit strings as national, text as
   * alphanumeric.
   *
   * @return the command status of the client's last {@code deliver_sm_resp} (0 = taken), or -1 if it did not answer
   * @throws IllegalStateException if no client is bound as receiver or transceiver (see {@link #awaitBound})
   */
  public int deliverMo(String from, String to, String text) {
    return deliverMo(from, to, text, Concatenation.UDH_8BIT);
  }

  /** Like {@link #deliverMo(String, String, String)} with a chosen way of concatenating parts. */
  public int deliverMo(String from, String to, String text, Concatenation concatenation) {
    List<DeliverSpec> parts = moParts(from, to, text, concatenation);
    int status = 0;
    for (DeliverSpec p : parts) {
      status = deliver(p);
      if (status != 0) {
        return status;
      }
    }
    return status;
  }

  /**
   * The {@code deliver_sm} PDUs {@link #deliverMo(String, String, String, Concatenation)} would send, so that tests can
   * shuffle, drop or repeat parts.
   */
  public List<DeliverSpec> moParts(String from, String to, String text, Concatenation concatenation) {
    return DeliverPdus.moParts(from, to, text, concatenation, nextRef::incrementAndGet);
  }


  /** Sends a delivery receipt for a submit this simulator accepted; source and destination are swapped back. */
  public int deliverReceipt(ReceivedSubmit submit, String stat) {
    Objects.requireNonNull(submit, "submit == null");
    if (submit.messageId() == null) {
      throw new IllegalArgumentException("the submit was not accepted, it has no message id");
    }
    return deliver(DeliverPdus.receipt(clock.instant(), receiptTlvs, submit.messageId(), stat, submit.destAddr(), submit.destTon(), submit.destNpi(),
        submit.sourceAddr(), submit.sourceTon(), submit.sourceNpi()));
  }

  /** Sends a delivery receipt in the SMPP 3.4 Appendix B text form (plus TLVs unless turned off). */
  public int deliverReceipt(String messageId, String stat) {
    return deliver(DeliverPdus.receipt(clock.instant(), receiptTlvs, messageId, stat, "", 0, 0, "", 0, 0));
  }

  /**
   * Sends one raw {@code deliver_sm} on a bound receiver or transceiver session and waits for its response.
   *
   * @return the command status of the {@code deliver_sm_resp} (0 = taken), or -1 when the client did not answer
   * @throws IllegalStateException if no client is bound as receiver or transceiver: nothing could be delivered, and a
   *     test that forgot to wait for the bind ({@link #awaitBound}) should say so rather than see a status
   */
  public int deliver(DeliverSpec spec) {
    Objects.requireNonNull(spec, "spec == null");
    List<SMPPServerSession> receivers = sessions.stream().filter(s -> s.getSessionState().isReceivable()).toList();
    if (receivers.isEmpty()) {
      throw new IllegalStateException("SmscSimulator: no client is bound as receiver or transceiver ("
          + sessions.size() + " session(s) open); wait for the bind with awaitBound(...) before delivering");
    }
    SMPPServerSession s = receivers.get(Math.floorMod(roundRobin.getAndIncrement(), receivers.size()));
    List<OptionalParameter> tlvs = new ArrayList<>();
    spec.tlvs.forEach((tag, value) -> tlvs.add(OptionalParameters.deserialize((short) (int) tag, value)));
    try {
      s.deliverShortMessage("", TypeOfNumber.valueOf((byte) spec.sourceTon), NumberingPlanIndicator.valueOf(
          (byte) spec.sourceNpi), spec.sourceAddr, TypeOfNumber.valueOf((byte) spec.destTon),
          NumberingPlanIndicator.valueOf((byte) spec.destNpi), spec.destAddr, new ESMClass(spec.esmClass), (byte) 0,
          (byte) 0, new RegisteredDelivery(0), DataCodings.newInstance((byte) spec.dataCoding), spec.shortMessage,
          tlvs.toArray(new OptionalParameter[0]));
      return 0;
    } catch (NegativeResponseException e) {
      return e.getCommandStatus();
    } catch (ResponseTimeoutException | IOException | org.jsmpp.PDUException | org.jsmpp.InvalidResponseException
        | IllegalArgumentException e) {
      return -1;
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /** Closes every session and the listening socket. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    closedLatch.countDown();
    try {
      if (serverSocket != null) {
        serverSocket.close();
      }
    } catch (IOException ignored) {
      // closing anyway
    }
    killSessions();
    if (workers != null) {
      workers.shutdownNow();
      try {
        workers.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (acceptor != null) {
      try {
        acceptor.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "SmscSimulator{127.0.0.1:" + (serverSocket == null ? "-" : port()) + ", systemId=" + systemId
        + ", sessions=" + sessions.size() + ", received=" + received.all().size() + "}";
  }

  // ---------------------------------------------------------------- internals

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      try {
        workers.execute(() -> serve(socket));
      } catch (RuntimeException e) {
        NotifyingConnection.closeQuietly(socket);
      }
    }
  }

  private void serve(Socket socket) {
    NotifyingConnection conn;
    try {
      socket.setTcpNoDelay(true);
      conn = new NotifyingConnection(socket);
    } catch (IOException e) {
      NotifyingConnection.closeQuietly(socket);
      return;
    }
    SMPPServerSession session = new SMPPServerSession(conn, (newState, oldState, source) -> {
      if (newState == SessionState.CLOSED) {
        sessions.remove((SMPPServerSession) source);
        systemIds.remove((SMPPServerSession) source);
        connections.remove((SMPPServerSession) source);
      }
    }, new Receiver(), new ServerResponseDeliveryAdapter() {
      @Override
      public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession source) {
        afterResponse(result, source);
      }
    }, pduThreads, 1000, new QuietPduSender(), new DefaultPDUReader());
    sessions.add(session);
    connections.put(session, conn);
    if (closed) {
      session.close();
      return;
    }
    try {
      BindRequest bind = session.waitForBind(5000);
      bindAttempts.incrementAndGet();
      int refuse = refuseBindStatus;
      if (refuse != 0) {
        bind.reject(refuse);
        closeAfterClient(session);
      } else if (!systemId.equals(bind.getSystemId())) {
        bind.reject(STAT_ESME_RINVSYSID);
        closeAfterClient(session);
      } else if (password != null && !password.equals(bind.getPassword())) {
        bind.reject(STAT_ESME_RINVPASWD);
        closeAfterClient(session);
      } else {
        systemIds.put(session, bind.getSystemId());
        bind.accept("smsc-sim");
      }
    } catch (TimeoutException | IllegalStateException | IOException | PDUStringException e) {
      session.close();
    }
  }

  /**
   * After a refused bind the client closes the connection itself; closing first races with the client reading the
   * refusal (jsmpp drops a response that arrives after the socket closed).
   */
  private void closeAfterClient(SMPPServerSession session) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    try {
      while (!closed && session.getSessionState() != SessionState.CLOSED && System.nanoTime() < deadline) {
        closedLatch.await(10, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    session.close();
  }

  private final Map<String, ReceivedSubmit> pendingReceipts = new ConcurrentHashMap<>();

  private void afterResponse(SubmitSmResult result, SMPPServerSession session) {
    ReceivedSubmit s = pendingReceipts.remove(result.getMessageId());
    if (s != null && !closed) {
      String stat = autoReceiptStat;
      try {
        workers.execute(() -> deliverReceipt(s, stat));
      } catch (RuntimeException ignored) {
        // closing
      }
    }
  }

  /** Answers submit_sm as scripted; the other requests are refused ({@link UnsupportedRequests}). */
  private final class Receiver extends UnsupportedRequests {

    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm submit, SMPPServerSession source) throws ProcessRequestException {
      ReceivedSubmit r = SubmitDecoder.decode(submit, systemIds.getOrDefault(source, ""), clock.instant());
      SubmitAction action;
      try {
        action = submitHandler.onSubmit(r);
      } catch (RuntimeException e) {
        action = SubmitAction.reject(STAT_ESME_RSYSERR);
      }
      if (!action.delay().isZero() || action.kind() == SubmitAction.Kind.DROP) {
        long millis = action.kind() == SubmitAction.Kind.DROP ? Long.MAX_VALUE : action.delay().toMillis();
        if (action.kind() == SubmitAction.Kind.DROP) {
          received.add(r.withOutcome(null, -1));
        }
        try {
          // a late or lost response: hold this PDU thread until the delay passes, the session dies or we close
          long deadline = System.currentTimeMillis() + Math.min(millis, TimeUnit.DAYS.toMillis(1));
          while (!closed && source.getSessionState().isBound() && System.currentTimeMillis() < deadline) {
            closedLatch.await(Math.min(20, Math.max(1, deadline - System.currentTimeMillis())), TimeUnit.MILLISECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (action.kind() == SubmitAction.Kind.DROP) {
          throw new ProcessRequestException("dropped", STAT_ESME_RSYSERR);
        }
      }
      if (action.kind() == SubmitAction.Kind.REJECT) {
        received.add(r.withOutcome(null, action.status()));
        throw new ProcessRequestException("rejected by script", action.status());
      }
      String id = idFormat == MessageIdFormat.HEX ? Long.toHexString(nextId.getAndIncrement())
          : Long.toString(nextId.getAndIncrement());
      ReceivedSubmit done = r.withOutcome(id, 0);
      boolean wantsReceipt = (submit.getRegisteredDelivery() & 0x03) != 0;
      if (autoReceipts && wantsReceipt) {
        if (receiptBeforeResponse) {
          sendReceiptNow(done, source);
        } else {
          pendingReceipts.put(id, done);
        }
      }
      received.add(done);
      try {
        return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
      } catch (PDUStringException e) {
        throw new ProcessRequestException("bad id", STAT_ESME_RSYSERR, e);
      }
    }

    private void sendReceiptNow(ReceivedSubmit done, SMPPServerSession source) {
      NotifyingConnection conn = connections.get(source);
      CountDownLatch written = new CountDownLatch(1);
      if (conn != null) {
        conn.onNextDeliverSm(written::countDown);
      }
      String stat = autoReceiptStat;
      try {
        workers.execute(() -> deliverReceipt(done, stat));
        // wait until the deliver_sm is on the wire, then let the submit_sm_resp follow it
        written.await(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException ignored) {
        // closing
      }
    }
  }


  /** Builds {@link SmscSimulator}. Not thread-safe. */
  public static final class Builder {
    private String systemId = "test";
    private String password = "secret";
    private MessageIdFormat idFormat = MessageIdFormat.HEX;
    private int pduThreads = 16;
    private Clock clock = Clock.systemUTC();
    private boolean autoReceipts;
    private boolean receiptBeforeResponse;

    private Builder() {}

    /** The system_id and password clients must bind with (default {@code test} / {@code secret}); a null password accepts any. */
    public Builder credentials(String systemId, String password) {
      this.systemId = Objects.requireNonNull(systemId, "systemId == null");
      this.password = password;
      return this;
    }

    /** How message ids are rendered. Default {@link MessageIdFormat#HEX}. */
    public Builder messageIdFormat(MessageIdFormat format) {
      this.idFormat = Objects.requireNonNull(format, "format == null");
      return this;
    }

    /** Threads per session that process PDUs (a late answer holds one). Default 16. */
    public Builder pduThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads < 1: " + threads);
      }
      this.pduThreads = threads;
      return this;
    }

    /** The clock for receipt dates and receive times. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Send a DELIVRD receipt after each accepted submit that asked for one. Default false. */
    public Builder autoDeliveryReceipts(boolean enabled) {
      this.autoReceipts = enabled;
      return this;
    }

    /** Write automatic receipts before the submit_sm_resp. Default false. */
    public Builder receiptBeforeResponse(boolean enabled) {
      this.receiptBeforeResponse = enabled;
      return this;
    }

    /** Builds a simulator; call {@link SmscSimulator#start()} to listen. */
    public SmscSimulator build() {
      return new SmscSimulator(this);
    }
  }
}
