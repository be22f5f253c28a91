package dev.smsgateway.smpp;

import dev.smsgateway.Originator;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
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

  // This class is the public API and its lifecycle (start, send, close, state); the work is done by package-private
  // parts of one job each: SmppBind (a bind and its reconnect supervisor), SubmitPipeline (queue, window, submit_sm
  // and submit_sm_resp), InboundHandler (deliver_sm: receipts and inbound messages) and SmppConfig (settings). It is
  // still ~700 lines because the public Builder (one documented setter per setting) stays nested here, where users
  // name it as SmppSmsProvider.Builder.

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
  private final Correlator correlator;
  private final MultipartAssembler assembler;
  private final SubmitPipeline pipeline;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch closeDone = new CountDownLatch(1);
  private volatile Thread closer;
  private final Object stateLock = new Object();
  private volatile ProviderListener listener = ProviderListener.NONE;
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
      pipeline.dispatch();
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
    this.pipeline = new SubmitPipeline(config, closed, correlator);
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
    inbound = new InboundHandler(config, correlator, assembler, pipeline::sendsInFlight, () -> this.listener,
        inboundWorkers);
    housekeeping.scheduleWithFixedDelay(this::housekeep, 100, 100, TimeUnit.MILLISECONDS);
    report(ProviderState.CONNECTING, "binding " + config.binds + " x " + config.bindMode + " to " + config.host + ":"
        + config.port);
    List<SmppBind> all = new ArrayList<>();
    for (int i = 0; i < config.binds; i++) {
      all.add(new SmppBind(i, config, closed, owner));
    }
    pipeline.start(List.copyOf(all), housekeeping);
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
      SmsException f = pipeline.failure();
      if (f != null) {
        throw f;
      }
      if (!request.mediaUrls().isEmpty()) {
        throw new SmsValidationException("mediaUrls", "are not supported over SMPP");
      }
      pipeline.enqueue(request, future);
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
    return pipeline.queued();
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
    List<SmppBind> binds = pipeline.binds();
    for (SmppBind b : binds) {
      b.stop();
    }
    Thread self = Thread.currentThread();
    long deadline = System.nanoTime() + config.responseTimeout.toNanos() + TimeUnit.SECONDS.toNanos(2);
    for (SmppBind b : binds) {
      b.join(self, deadline);
    }
    pipeline.closeAll();
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

  /** Every 100 ms: time to live and response timeouts, stale multipart groups, and sends a slot may take now. */
  private void housekeep() {
    try {
      pipeline.expire();
      assembler.sweep();
      pipeline.dispatch();
    } catch (RuntimeException e) {
      log.warn("SMPP provider '{}': housekeeping failed: {}", name, e.toString());
    }
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
    boolean any = pipeline.anyBound();
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
    pipeline.fail(e);
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
