package dev.smsgateway.test.smsc;

import dev.smsgateway.text.Encoding;
import dev.smsgateway.text.Gsm7;
import dev.smsgateway.text.SmsEncoding;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.ServerResponseDeliveryAdapter;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.session.connection.Connection;
import org.jsmpp.util.MessageId;

// Past 600 lines, knowingly for now: the simulator is one SMPP server session model (bind, submit, deliver, receipts,
// faults) whose public methods tests drive; its next split is sessions vs the scripted behaviour.
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

  private static final int TAG_RECEIPTED_MESSAGE_ID = 0x001E;
  private static final int TAG_MESSAGE_STATE = 0x0427;
  private static final int TAG_SAR_MSG_REF_NUM = 0x020C;
  private static final int TAG_SAR_TOTAL_SEGMENTS = 0x020E;
  private static final int TAG_SAR_SEGMENT_SEQNUM = 0x020F;
  private static final int TAG_MESSAGE_PAYLOAD = 0x0424;
  private static final int CID_DELIVER_SM = 0x00000005;
  private static final int STAT_ESME_RSYSERR = 0x08;
  private static final int STAT_ESME_RINVPASWD = 0x0E;
  private static final int STAT_ESME_RINVSYSID = 0x0F;
  private static final DateTimeFormatter RECEIPT_DATE = DateTimeFormatter.ofPattern("yyMMddHHmm");

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
  // appended on every submit: a CopyOnWriteArrayList would make recording O(n) per message
  private final List<ReceivedSubmit> received = new ArrayList<>();
  private final Set<SMPPServerSession> sessions = ConcurrentHashMap.newKeySet();
  private final Map<SMPPServerSession, String> systemIds = new ConcurrentHashMap<>();
  private final Map<SMPPServerSession, NotifyingConnection> connections = new ConcurrentHashMap<>();
  private final CountDownLatch closedLatch = new CountDownLatch(1);
  private final Object receivedMonitor = new Object();

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
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The submits that were accepted. */
  public List<ReceivedSubmit> accepted() {
    return received().stream().filter(ReceivedSubmit::accepted).toList();
  }

  private int acceptedCount() {
    synchronized (received) {
      int n = 0;
      for (ReceivedSubmit r : received) {
        if (r.accepted()) {
          n++;
        }
      }
      return n;
    }
  }

  /** Forgets what was received. */
  public void clearReceived() {
    synchronized (received) {
      received.clear();
    }
  }

  /** Waits until at least {@code count} submits were accepted; returns whether that happened in time. */
  public boolean awaitAccepted(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (receivedMonitor) {
      while (acceptedCount() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(receivedMonitor, left);
      }
      return true;
    }
  }

  /**
   * The full texts of accepted messages, reassembled from their parts (by source, destination and concatenation
   * reference), in the order their last part arrived. Incomplete messages are left out.
   */
  public List<String> acceptedTexts() {
    Map<String, String[]> groups = new LinkedHashMap<>();
    List<String> out = new ArrayList<>();
    for (ReceivedSubmit s : accepted()) {
      if (s.totalParts() <= 1) {
        out.add(s.text());
        continue;
      }
      String key = s.sourceAddr() + "|" + s.destAddr() + "|" + s.concatRef() + "|" + s.totalParts();
      String[] parts = groups.computeIfAbsent(key, k -> new String[s.totalParts()]);
      if (s.partNumber() >= 1 && s.partNumber() <= parts.length) {
        parts[s.partNumber() - 1] = s.text();
      }
      if (Arrays.stream(parts).allMatch(Objects::nonNull)) {
        out.add(String.join("", parts));
        groups.remove(key);
      }
    }
    return out;
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
    Objects.requireNonNull(text, "text == null");
    boolean gsm = Gsm7.canEncode(text);
    Encoding enc = gsm ? Encoding.GSM7 : Encoding.UCS2;
    int single = enc.singleLimit();
    int units = gsm ? Gsm7.countSeptets(text) : text.length();
    int dc = gsm ? 0x00 : 0x08;
    if (units <= single) {
      return List.of(base(from, to).dataCoding(dc).shortMessage(encode(text, gsm)).build());
    }
    int per = concatenation == Concatenation.UDH_16BIT ? enc.multipartLimit() - 1 : enc.multipartLimit();
    List<String> chunks = SmsEncoding.split(text, enc, per);
    int ref = nextRef.incrementAndGet() & (concatenation == Concatenation.UDH_16BIT ? 0xFFFF : 0xFF);
    List<DeliverSpec> out = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      byte[] body = encode(chunks.get(i), gsm);
      DeliverSpec.Builder b = base(from, to).dataCoding(dc);
      switch (concatenation) {
        case UDH_8BIT -> b.esmClass(0x40).shortMessage(concat(new byte[] {
            5, 0, 3, (byte) ref, (byte) chunks.size(), (byte) (i + 1)}, body));
        case UDH_16BIT -> b.esmClass(0x40).shortMessage(concat(new byte[] {
            6, 8, 4, (byte) (ref >> 8), (byte) ref, (byte) chunks.size(), (byte) (i + 1)}, body));
        case SAR -> b.shortMessage(body)
            .tlv(TAG_SAR_MSG_REF_NUM, new byte[] {(byte) (ref >> 8), (byte) ref})
            .tlv(TAG_SAR_TOTAL_SEGMENTS, new byte[] {(byte) chunks.size()})
            .tlv(TAG_SAR_SEGMENT_SEQNUM, new byte[] {(byte) (i + 1)});
      }
      out.add(b.build());
    }
    return out;
  }

  /** Sends a delivery receipt for a submit this simulator accepted; source and destination are swapped back. */
  public int deliverReceipt(ReceivedSubmit submit, String stat) {
    Objects.requireNonNull(submit, "submit == null");
    if (submit.messageId() == null) {
      throw new IllegalArgumentException("the submit was not accepted, it has no message id");
    }
    return deliver(receipt(submit.messageId(), stat, submit.destAddr(), submit.destTon(), submit.destNpi(),
        submit.sourceAddr(), submit.sourceTon(), submit.sourceNpi()));
  }

  /** Sends a delivery receipt in the SMPP 3.4 Appendix B text form (plus TLVs unless turned off). */
  public int deliverReceipt(String messageId, String stat) {
    return deliver(receipt(messageId, stat, "", 0, 0, "", 0, 0));
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
        + ", sessions=" + sessions.size() + ", received=" + received().size() + "}";
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
        closeQuietly(socket);
      }
    }
  }

  private void serve(Socket socket) {
    NotifyingConnection conn;
    try {
      socket.setTcpNoDelay(true);
      conn = new NotifyingConnection(socket);
    } catch (IOException e) {
      closeQuietly(socket);
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

  private final class Receiver implements ServerMessageReceiverListener {

    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm submit, SMPPServerSession source) throws ProcessRequestException {
      ReceivedSubmit r = decode(submit, systemIds.getOrDefault(source, ""));
      SubmitAction action;
      try {
        action = submitHandler.onSubmit(r);
      } catch (RuntimeException e) {
        action = SubmitAction.reject(STAT_ESME_RSYSERR);
      }
      if (!action.delay().isZero() || action.kind() == SubmitAction.Kind.DROP) {
        long millis = action.kind() == SubmitAction.Kind.DROP ? Long.MAX_VALUE : action.delay().toMillis();
        if (action.kind() == SubmitAction.Kind.DROP) {
          record(r.withOutcome(null, -1));
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
        record(r.withOutcome(null, action.status()));
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
      record(done);
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

    @Override
    public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("submit_multi is not supported", 0x03);
    }

    @Override
    public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source) throws ProcessRequestException {
      throw new ProcessRequestException("query_sm is not supported", 0x03);
    }

    @Override
    public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
      throw new ProcessRequestException("replace_sm is not supported", 0x03);
    }

    @Override
    public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
      throw new ProcessRequestException("cancel_sm is not supported", 0x03);
    }

    @Override
    public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("broadcast_sm is not supported", 0x03);
    }

    @Override
    public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("cancel_broadcast_sm is not supported", 0x03);
    }

    @Override
    public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm,
        SMPPServerSession source) throws ProcessRequestException {
      throw new ProcessRequestException("query_broadcast_sm is not supported", 0x03);
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
      throw new ProcessRequestException("data_sm is not supported", 0x03);
    }
  }

  private void record(ReceivedSubmit r) {
    synchronized (received) {
      received.add(r);
    }
    synchronized (receivedMonitor) {
      receivedMonitor.notifyAll();
    }
  }

  private ReceivedSubmit decode(SubmitSm submit, String boundSystemId) {
    Map<Integer, byte[]> tlvs = new HashMap<>();
    OptionalParameter[] params = submit.getOptionalParameters();
    if (params != null) {
      for (OptionalParameter p : params) {
        byte[] all = p.serialize();
        tlvs.put(p.tag & 0xFFFF, Arrays.copyOfRange(all, 4, all.length));
      }
    }
    byte[] sm = submit.getShortMessage() == null ? new byte[0] : submit.getShortMessage();
    if (sm.length == 0 && tlvs.containsKey(TAG_MESSAGE_PAYLOAD)) {
      sm = tlvs.get(TAG_MESSAGE_PAYLOAD);
    }
    int esm = submit.getEsmClass() & 0xFF;
    byte[] udh = new byte[0];
    byte[] body = sm;
    int ref = -1;
    int total = 1;
    int seq = 1;
    if ((esm & 0x40) != 0 && sm.length > 0) {
      int udhl = sm[0] & 0xFF;
      int end = Math.min(sm.length, 1 + udhl);
      udh = Arrays.copyOfRange(sm, 0, end);
      body = Arrays.copyOfRange(sm, end, sm.length);
      for (int i = 1; i + 1 < end; ) {
        int iei = udh[i] & 0xFF;
        int len = udh[i + 1] & 0xFF;
        if (iei == 0x00 && len == 3 && i + 4 < end + 1) {
          ref = udh[i + 2] & 0xFF;
          total = udh[i + 3] & 0xFF;
          seq = udh[i + 4] & 0xFF;
        } else if (iei == 0x08 && len == 4 && i + 5 < end + 1) {
          ref = ((udh[i + 2] & 0xFF) << 8) | (udh[i + 3] & 0xFF);
          total = udh[i + 4] & 0xFF;
          seq = udh[i + 5] & 0xFF;
        }
        i += 2 + len;
      }
    } else if (tlvs.containsKey(TAG_SAR_MSG_REF_NUM)) {
      ref = toInt(tlvs.get(TAG_SAR_MSG_REF_NUM));
      total = toInt(tlvs.getOrDefault(TAG_SAR_TOTAL_SEGMENTS, new byte[] {1}));
      seq = toInt(tlvs.getOrDefault(TAG_SAR_SEGMENT_SEQNUM, new byte[] {1}));
    }
    int dc = submit.getDataCoding() & 0xFF;
    return new ReceivedSubmit(boundSystemId, nz(submit.getSourceAddr()), submit.getSourceAddrTon() & 0xFF,
        submit.getSourceAddrNpi() & 0xFF, nz(submit.getDestAddress()), submit.getDestAddrTon() & 0xFF,
        submit.getDestAddrNpi() & 0xFF, esm, dc, submit.getRegisteredDelivery() & 0xFF,
        nz(submit.getValidityPeriod()), sm.clone(), udh, decodeText(body, dc), ref, total, seq, tlvs,
        clock.instant(), null, -1);
  }

  static String decodeText(byte[] body, int dataCoding) {
    return switch (dataCoding) {
      case 0x00 -> Gsm7.decode(body);
      case 0x01 -> new String(body, StandardCharsets.US_ASCII);
      case 0x08 -> new String(body, StandardCharsets.UTF_16BE);
      default -> new String(body, StandardCharsets.ISO_8859_1);
    };
  }

  private static int toInt(byte[] b) {
    int v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xFF);
    }
    return v;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private DeliverSpec receipt(String messageId, String stat, String src, int srcTon, int srcNpi, String dst,
      int dstTon, int dstNpi) {
    String now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).format(RECEIPT_DATE);
    String text = "id:" + messageId + " sub:001 dlvrd:" + ("DELIVRD".equals(stat) ? "001" : "000") + " submit date:"
        + now + " done date:" + now + " stat:" + stat + " err:000 text:";
    DeliverSpec.Builder b = DeliverSpec.builder().source(src, srcTon, srcNpi).destination(dst, dstTon, dstNpi)
        .esmClass(0x04).text(text);
    if (receiptTlvs) {
      byte[] id = (messageId + "\0").getBytes(StandardCharsets.ISO_8859_1);
      b.tlv(TAG_RECEIPTED_MESSAGE_ID, id);
      int state = messageState(stat);
      if (state > 0) {
        b.tlv(TAG_MESSAGE_STATE, new byte[] {(byte) state});
      }
    }
    return b.build();
  }

  private static int messageState(String stat) {
    return switch (stat) {
      case "ENROUTE" -> 1;
      case "DELIVRD" -> 2;
      case "EXPIRED" -> 3;
      case "DELETED" -> 4;
      case "UNDELIV" -> 5;
      case "ACCEPTD" -> 6;
      case "UNKNOWN" -> 7;
      case "REJECTD" -> 8;
      default -> 0;
    };
  }

  private static DeliverSpec.Builder base(String from, String to) {
    DeliverSpec.Builder b = DeliverSpec.builder();
    String[] f = address(from);
    String[] t = address(to);
    return b.source(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]))
        .destination(t[0], Integer.parseInt(t[1]), Integer.parseInt(t[2]));
  }

  private static String[] address(String a) {
    Objects.requireNonNull(a, "address == null");
    if (a.startsWith("+")) {
      return new String[] {a.substring(1), "1", "1"};
    }
    if (a.chars().allMatch(Character::isDigit)) {
      return new String[] {a, a.length() <= 8 ? "3" : "0", "1"};
    }
    return new String[] {a, "5", "0"};
  }

  private static byte[] encode(String text, boolean gsm) {
    return gsm ? Gsm7.encode(text) : text.getBytes(StandardCharsets.UTF_16BE);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /** A socket connection whose output tells us when a deliver_sm went out. */
  private static final class NotifyingConnection implements Connection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final List<Runnable> onDeliverSm = new CopyOnWriteArrayList<>();

    NotifyingConnection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = new FilterOutputStream(socket.getOutputStream()) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          socket.getOutputStream().write(b, off, len);
          if (len >= 8 && ByteBuffer.wrap(b, off + 4, 4).getInt() == CID_DELIVER_SM) {
            for (Runnable r : onDeliverSm) {
              onDeliverSm.remove(r);
              r.run();
            }
          }
        }
      };
    }

    void onNextDeliverSm(Runnable r) {
      onDeliverSm.add(r);
    }

    void abort() {
      try {
        socket.setSoLinger(true, 0);
      } catch (SocketException ignored) {
        // already closed
      }
      closeQuietly(socket);
    }

    @Override
    public boolean isOpen() {
      return !socket.isClosed();
    }

    @Override
    public InetAddress getInetAddress() {
      return socket.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
      return socket.getLocalAddress();
    }

    @Override
    public int getPort() {
      return socket.getPort();
    }

    @Override
    public int getLocalPort() {
      return socket.getLocalPort();
    }

    @Override
    public InputStream getInputStream() {
      return in;
    }

    @Override
    public OutputStream getOutputStream() {
      return out;
    }

    @Override
    public void setSoTimeout(int timeout) throws IOException {
      socket.setSoTimeout(timeout);
    }

    @Override
    public void close() {
      closeQuietly(socket);
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
