package dev.smsgateway.twilio;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpClient;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
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
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends SMS and MMS through Twilio's Programmable Messaging API with twilio-java, and receives inbound messages and
 * status callbacks through {@link #webhookHandler()}.
 *
 * <pre>{@code
 * TwilioSmsProvider twilio = TwilioSmsProvider.builder()
 *     .accountSid("AC...").authToken(System.getenv("TWILIO_AUTH_TOKEN"))
 *     .messagingServiceSid("MG...")
 *     .publicBaseUrl(URI.create("https://sms.example.com"))   // status callbacks + webhook signatures
 *     .executor(appExecutor)                                   // twilio-java blocks; never the caller's thread
 *     .build();
 * }</pre>
 *
 * <p>Wiring is explicit: the provider never calls {@code Twilio.init} or touches twilio-java's global client and
 * executor. Build it from the application's own {@link TwilioRestClient} (whose HTTP client must be a
 * {@link SingleAttemptHttpClient}), or from an account SID with an auth token or an API key and secret.
 *
 * <p>Retries belong to the gateway: every create is sent exactly once. A 429 (Twilio error 20429) is an
 * {@code SmsThrottledException} (Twilio did not process it; safe to retry); a 5xx or a read timeout is an
 * {@code SmsTransportException} with {@code possiblyDelivered()} true (Twilio may have created the message).
 *
 * <p>Thread-safe.
 */
public final class TwilioSmsProvider implements SmsProvider {

  private static final Logger log = LoggerFactory.getLogger(TwilioSmsProvider.class);

  /** Twilio refuses longer bodies with error 21617. */
  static final int MAX_BODY_CHARS = 1600;
  /** Twilio refuses more media with error 21623. */
  static final int MAX_MEDIA = 10;
  /** ValidityPeriod range of the Messages resource, in seconds. */
  static final int MAX_VALIDITY_SECONDS = 36_000;

  private final String name;
  private final TwilioRestClient client;
  private final SingleAttemptHttpClient ownedHttpClient;
  private final Executor executor;
  private final ExecutorService ownedExecutor;
  private final Originator from;
  private final String messagingServiceSid;
  private final URI statusCallback;
  private final Boolean smartEncoded;
  private final Clock clock;
  private final TwilioWebhookHandler webhook;
  private final URI publicBaseUrl;
  private final AtomicReference<ProviderListener> listener = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  // Sends not completed yet, and whether their request may already be on the wire; failed by close().
  private final Map<CompletableFuture<SendReceipt>, AtomicBoolean> pending = new ConcurrentHashMap<>();
  private final ProviderCapabilities capabilities = new ProviderCapabilities(true, true, true, 10,
      EnumSet.allOf(Originator.Kind.class));

  private TwilioSmsProvider(Builder b, TwilioRestClient client, SingleAttemptHttpClient ownedHttpClient) {
    this.name = b.name;
    this.client = client;
    this.ownedHttpClient = ownedHttpClient;
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor = Executors.newFixedThreadPool(b.threads, daemonThreads(b.name));
      this.executor = ownedExecutor;
    }
    this.from = b.from;
    this.messagingServiceSid = b.messagingServiceSid;
    this.publicBaseUrl = b.publicBaseUrl;
    this.statusCallback = b.statusCallback != null ? b.statusCallback
        : b.publicBaseUrl != null ? TwilioWebhookUrls.status(b.publicBaseUrl) : null;
    this.smartEncoded = b.smartEncoded;
    this.clock = b.clock;
    String token = b.webhookAuthToken != null ? b.webhookAuthToken : b.authToken;
    TwilioWebhookHandler.Builder webhookConfig = TwilioWebhookHandler.builder()
        .provider(b.name)
        .accountSid(b.accountSid)
        .clock(b.clock)
        .deduplicationWindow(b.deduplicationWindow)
        .listener(new StartedListener());
    if (b.webhookListenerTimeout != null) {
      webhookConfig.listenerTimeout(b.webhookListenerTimeout, null);
    }
    this.webhook = token == null ? null : webhookConfig.authToken(token).build();
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
    return capabilities;
  }

  @Override
  public void start(ProviderListener providerListener) {
    Objects.requireNonNull(providerListener, "listener == null");
    if (closed.get()) {
      throw new IllegalStateException("provider " + name + " is closed");
    }
    if (!listener.compareAndSet(null, providerListener)) {
      throw new IllegalStateException("provider " + name + " is already started");
    }
    notifyState(ProviderState.CONNECTED, "HTTP provider ready");
  }

  /**
   * The webhook handler for inbound messages and status callbacks, delivering to the listener given to
   * {@link #start}; it answers 503 until then.
   *
   * @throws SmsConfigurationException if no auth token is known to validate signatures (a provider built from a
   *     {@link TwilioRestClient} or an API key needs {@link Builder#webhookAuthToken})
   */
  public TwilioWebhookHandler webhookHandler() {
    if (webhook == null) {
      throw new SmsConfigurationException("provider " + name + ": set webhookAuthToken (twilio.webhookAuthToken) to "
          + "validate Twilio's webhook signatures; an API key secret cannot validate them");
    }
    return webhook;
  }

  /**
   * A JDK {@code HttpServer} handler for {@link #webhookHandler()}, rebuilding signed URLs from the configured public
   * base URL.
   *
   * @throws SmsConfigurationException if no public base URL or webhook auth token is configured
   */
  public TwilioHttpServerHandler httpServerHandler() {
    if (publicBaseUrl == null) {
      throw new SmsConfigurationException("provider " + name + ": set publicBaseUrl (twilio.publicBaseUrl), the "
          + "https URL Twilio calls; signatures cover it and it cannot be trusted from the Host header");
    }
    return new TwilioHttpServerHandler(webhookHandler(), publicBaseUrl);
  }

  @Override
  public CompletableFuture<SendReceipt> send(SubmitRequest request) {
    Objects.requireNonNull(request, "request == null");
    CompletableFuture<SendReceipt> result = new CompletableFuture<>();
    if (closed.get()) {
      result.completeExceptionally(notSent("provider is closed"));
      return result;
    }
    MessageCreator creator;
    try {
      creator = creator(request);
    } catch (SmsException e) {
      result.completeExceptionally(e);
      return result;
    }
    AtomicBoolean started = new AtomicBoolean();
    pending.put(result, started);
    result.whenComplete((r, e) -> pending.remove(result));
    if (closed.get()) { // closed while we registered: close() may have missed this future
      result.completeExceptionally(notSent("provider is closed"));
      return result;
    }
    try {
      executor.execute(() -> {
        if (result.isDone()) {
          return;
        }
        started.set(true);
        if (closed.get()) {
          result.completeExceptionally(notSent("provider closed before the message was sent"));
          return;
        }
        try {
          result.complete(create(creator, request));
        } catch (SmsException e) {
          result.completeExceptionally(e);
        } catch (RuntimeException | Error e) {
          result.completeExceptionally(new SmsTransportException("Twilio create failed unexpectedly ("
              + e.getClass().getSimpleName() + "); the outcome is unknown", name, null, true, e));
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new SmsTransportException("the executor refused the send; not sent", name, null,
          false, e));
    }
    return result;
  }

  private MessageCreator creator(SubmitRequest request) {
    String body = request.body();
    if (body.length() > MAX_BODY_CHARS) {
      throw new SmsValidationException("body", "is too long for Twilio: " + body.length() + " > " + MAX_BODY_CHARS
          + " characters (Twilio error 21617)");
    }
    List<URI> media = request.mediaUrls();
    if (media.size() > MAX_MEDIA) {
      throw new SmsValidationException("mediaUrls", "has " + media.size() + " URLs; Twilio allows " + MAX_MEDIA);
    }
    for (URI uri : media) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http")) {
        throw new SmsValidationException("mediaUrls", "must be public http(s) URLs: '" + uri + "'");
      }
    }
    if (body.isEmpty() && media.isEmpty()) {
      throw new SmsValidationException("body", "is empty and there is no media (Twilio error 21602)");
    }
    com.twilio.type.PhoneNumber to = new com.twilio.type.PhoneNumber(request.to().e164());
    Originator sender = request.from().orElse(from);
    MessageCreator c;
    if (sender != null) {
      c = Message.creator(to, new com.twilio.type.PhoneNumber(sender.address()), body);
      if (messagingServiceSid != null) {
        c.setMessagingServiceSid(messagingServiceSid);
      }
    } else if (messagingServiceSid != null) {
      c = Message.creator(to, messagingServiceSid, body);
    } else {
      throw new SmsConfigurationException("provider " + name + ": no sender; set twilio.from or "
          + "twilio.messagingServiceSid, or give the message a from");
    }
    if (!media.isEmpty()) {
      c.setMediaUrl(media);
    }
    if (request.deliveryReport() && statusCallback != null) {
      c.setStatusCallback(TwilioWebhookUrls.withMessageId(statusCallback, request.messageId()));
    }
    if (request.validity().isPresent()) {
      Duration validity = request.validity().get();
      long seconds = validity.toSeconds();
      if (seconds < 1 || seconds > MAX_VALIDITY_SECONDS) {
        throw new SmsValidationException("validity", "must be 1 s to " + MAX_VALIDITY_SECONDS + " s for Twilio: "
            + validity);
      }
      c.setValidityPeriod((int) seconds);
    }
    if (smartEncoded != null) {
      c.setSmartEncoded(smartEncoded);
    }
    return c;
  }

  private SendReceipt create(MessageCreator creator, SubmitRequest request) {
    try {
      Message m = creator.create(client);
      if (m.getStatus() == Message.Status.FAILED && m.getErrorCode() != null) {
        throw TwilioErrors.toException(name, m.getErrorCode(), null, null, request.to(), null, true);
      }
      return receipt(m, request);
    } catch (ApiException e) {
      SingleAttemptHttpClient.LastResponse response = SingleAttemptHttpClient.takeLastResponse();
      Integer status = e.getStatusCode() != null ? e.getStatusCode() : response == null ? null : response.status();
      SmsException mapped = TwilioErrors.toException(name, e.getCode(), status, retryAfter(response), request.to(), e,
          true);
      log.debug("Twilio create of {} failed: {}", request.messageId(), mapped.getMessage());
      throw mapped;
    } finally {
      SingleAttemptHttpClient.takeLastResponse();
    }
  }

  private SendReceipt receipt(Message m, SubmitRequest request) {
    int parts = request.plan().partCount();
    String segments = m.getNumSegments();
    if (segments != null) {
      try {
        int n = Integer.parseInt(segments.strip());
        if (n > 0) {
          parts = n;
        }
      } catch (NumberFormatException ignored) {
        // Twilio sends "0" or nothing before segmentation (Messaging Services); keep our plan
      }
    }
    Map<String, String> details = new LinkedHashMap<>();
    if (m.getStatus() != null) {
      details.put("status", m.getStatus().toString());
    }
    if (m.getPrice() != null) {
      details.put("price", m.getPrice());
    }
    if (m.getPriceUnit() != null) {
      details.put("priceUnit", m.getPriceUnit().getCurrencyCode());
    }
    if (segments != null) {
      details.put("numSegments", segments);
    }
    if (m.getSid() == null) {
      throw new SmsTransportException("Twilio accepted the message but returned no sid; the outcome is unknown", name,
          null, true, null);
    }
    return new SendReceipt(request.messageId(), name, List.of(m.getSid()), parts, clock.instant(), details);
  }

  private static Duration retryAfter(SingleAttemptHttpClient.LastResponse response) {
    if (response == null || response.retryAfter() == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(response.retryAfter().strip());
      return seconds >= 0 && seconds <= 86_400 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException e) {
      return null; // an HTTP date: let the gateway's backoff decide
    }
  }

  private SmsTransportException notSent(String why) {
    return new SmsTransportException("provider " + name + ": " + why, name, null, false, null);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Fail what is still pending: queued sends were not sent; in-flight ones may have reached Twilio.
    for (Map.Entry<CompletableFuture<SendReceipt>, AtomicBoolean> e : pending.entrySet()) {
      boolean inFlight = e.getValue().get();
      e.getKey().completeExceptionally(new SmsTransportException("provider " + name + " closed while the send was "
          + (inFlight ? "in flight; the outcome is unknown" : "queued; not sent"), name, null, inFlight, null));
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    if (ownedHttpClient != null) {
      ownedHttpClient.closeDelegate(); // aborts in-flight requests, so the pool's threads end now
    }
    if (ownedExecutor != null) {
      try {
        if (!ownedExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("provider {}: worker threads still busy 5 s after close", name);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    notifyState(ProviderState.CLOSED, "closed");
  }

  private void notifyState(ProviderState state, String detail) {
    ProviderListener l = listener.get();
    if (l == null) {
      return;
    }
    try {
      l.onStateChange(name, state, detail);
    } catch (RuntimeException e) {
      log.warn("provider {}: state listener failed ({})", name, e.toString());
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "sms-twilio-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String toString() {
    return "TwilioSmsProvider{name=" + name + ", from=" + from + ", messagingService="
        + (messagingServiceSid != null) + ", closed=" + closed.get() + "}";
  }

  /** Forwards webhook events to the listener given to start; throws (so the webhook answers 503) before that. */
  private final class StartedListener implements ProviderListener {
    private ProviderListener current() {
      ProviderListener l = listener.get();
      if (l == null || closed.get()) {
        throw new IllegalStateException("provider " + name + " is not started");
      }
      return l;
    }

    @Override
    public void onInbound(InboundSms sms) {
      current().onInbound(sms);
    }

    @Override
    public void onDeliveryReport(DeliveryReport report) {
      current().onDeliveryReport(report);
    }
  }

  /** Builds {@link TwilioSmsProvider}. Not thread-safe. {@link #toString()} shows no secrets. */
  public static final class Builder {
    private String name = "twilio";
    private TwilioRestClient restClient;
    private String accountSid;
    private String authToken;
    private String apiKey;
    private String apiSecret;
    private String webhookAuthToken;
    private Duration webhookListenerTimeout;
    private HttpClient httpClient;
    private String region;
    private String edge;
    private Executor executor;
    private int threads = 8;
    private Originator from;
    private String messagingServiceSid;
    private URI statusCallback;
    private URI publicBaseUrl;
    private Boolean smartEncoded;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofMillis(30_500);
    private Duration deduplicationWindow = Duration.ofHours(24);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The provider name, unique within a gateway. Default {@code twilio}. */
    public Builder name(String name) {
      this.name = requireText(name, "name");
      return this;
    }

    /**
     * Use the application's own client. Its HTTP client must be a {@link SingleAttemptHttpClient}, so that twilio-java
     * never re-sends a create after a 5xx. Give {@link #webhookAuthToken} to validate webhooks.
     */
    public Builder restClient(TwilioRestClient restClient) {
      this.restClient = Objects.requireNonNull(restClient, "restClient == null");
      return this;
    }

    /** The account SID ({@code AC...}). Required unless a rest client is given. */
    public Builder accountSid(String accountSid) {
      this.accountSid = requireSetting(accountSid, "accountSid");
      return this;
    }

    /** The account's auth token; also the webhook signing key. */
    public Builder authToken(String authToken) {
      this.authToken = requireSetting(authToken, "authToken");
      return this;
    }

    /** An API key ({@code SK...}) and its secret, instead of the auth token for REST calls. */
    public Builder apiKey(String apiKeySid, String apiKeySecret) {
      this.apiKey = requireSetting(apiKeySid, "apiKey");
      this.apiSecret = requireSetting(apiKeySecret, "apiSecret");
      return this;
    }

    /** The auth token that signs webhooks, when it is not the {@link #authToken} (API key or rest client set-ups). */
    public Builder webhookAuthToken(String webhookAuthToken) {
      this.webhookAuthToken = requireSetting(webhookAuthToken, "webhookAuthToken");
      return this;
    }

    /**
     * Bounds how long the webhook waits for the gateway to take an inbound message or status callback: past it the
     * webhook answers 503 so that Twilio retries (see {@link TwilioWebhookHandler.Builder#listenerTimeout}). Default:
     * no bound.
     */
    public Builder webhookListenerTimeout(Duration timeout) {
      this.webhookListenerTimeout = Objects.requireNonNull(timeout, "timeout == null");
      return this;
    }

    /** twilio-java's HTTP client for a provider built from credentials; wrapped so that each request is sent once. */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient == null");
      return this;
    }

    /** Twilio region (for example {@code ie1}) for a provider built from credentials. */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** Twilio edge location (for example {@code dublin}) for a provider built from credentials. */
    public Builder edge(String edge) {
      this.edge = edge;
      return this;
    }

    /** Where twilio-java's blocking calls run. Default: a pool of {@link #threads} daemon threads, shut down on close. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor == null");
      return this;
    }

    /** The size of the provider's own pool when no executor is given, and of the HTTP connection pool. Default 8. */
    public Builder threads(int threads) {
      if (threads < 1 || threads > 1000) {
        throw new SmsValidationException("threads", "must be 1-1000: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** The default sender: a number of the account, a short code or an alphanumeric sender id. */
    public Builder from(Originator from) {
      this.from = from;
      return this;
    }

    /** The Messaging Service ({@code MG...}) to send through; used when no from is given, and sent along with it. */
    public Builder messagingServiceSid(String messagingServiceSid) {
      this.messagingServiceSid = messagingServiceSid == null ? null : requireSetting(messagingServiceSid,
          "messagingServiceSid");
      return this;
    }

    /** The status callback URL; default {@link TwilioWebhookUrls#status} of the public base URL, when set. */
    public Builder statusCallback(URI statusCallback) {
      if (statusCallback != null) {
        String scheme = statusCallback.getScheme() == null ? "" : statusCallback.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || statusCallback.getRawAuthority() == null
            || statusCallback.getRawFragment() != null) {
          throw new SmsValidationException("statusCallback", "must be an absolute http(s) URL without fragment: '"
              + statusCallback + "'");
        }
      }
      this.statusCallback = statusCallback;
      return this;
    }

    /** The public https URL Twilio calls this application at (behind proxies: the outside URL). */
    public Builder publicBaseUrl(URI publicBaseUrl) {
      this.publicBaseUrl = publicBaseUrl == null ? null : TwilioWebhookUrls.checkBase(publicBaseUrl, "publicBaseUrl");
      return this;
    }

    /** Twilio's SmartEncoded flag: replace look-alike Unicode characters so that the text stays GSM-7. */
    public Builder smartEncoded(boolean smartEncoded) {
      this.smartEncoded = smartEncoded;
      return this;
    }

    /** Connect timeout of a provider built from credentials. Default 10 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /** Read timeout of a provider built from credentials; a timeout means "possibly delivered". Default 30.5 s. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = positive(readTimeout, "readTimeout");
      return this;
    }

    /** The webhook's in-memory de-duplication window; zero disables it. Default 24 h. */
    public Builder deduplicationWindow(Duration window) {
      this.deduplicationWindow = Objects.requireNonNull(window, "window == null");
      return this;
    }

    /** The clock for receipts and webhooks. Default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws SmsConfigurationException naming what is missing or inconsistent
     */
    public TwilioSmsProvider build() {
      checkSid("accountSid", accountSid, "AC", "the Account SID on the Twilio console");
      checkSid("messagingServiceSid", messagingServiceSid, "MG", "the Messaging Service SID");
      checkSid("apiKey", apiKey, "SK", "the API key SID");
      if (restClient != null) {
        if (authToken != null || apiKey != null || httpClient != null) {
          throw new SmsConfigurationException("Twilio: give either a restClient or credentials (accountSid with "
              + "authToken or apiKey), not both");
        }
        if (!(restClient.getHttpClient() instanceof SingleAttemptHttpClient)) {
          throw new SmsConfigurationException("Twilio: the restClient's HttpClient re-sends a message after a 5xx "
              + "(twilio-java retries every 5xx 3 times); build it with "
              + ".httpClient(SingleAttemptHttpClient.wrap(new NetworkHttpClient()))");
        }
        if (accountSid == null) {
          accountSid = restClient.getAccountSid();
        }
        return new TwilioSmsProvider(this, restClient, null);
      }
      if (accountSid == null) {
        throw new SmsConfigurationException("Twilio: accountSid (twilio.accountSid) is required");
      }
      if (authToken == null && apiKey == null) {
        throw new SmsConfigurationException("Twilio: authToken (twilio.authToken) or apiKey and apiSecret "
            + "(twilio.apiKey, twilio.apiSecret) are required");
      }
      SingleAttemptHttpClient owned = null;
      SingleAttemptHttpClient http;
      if (httpClient != null) {
        http = SingleAttemptHttpClient.wrap(httpClient);
      } else {
        owned = SingleAttemptHttpClient.create((int) connectTimeout.toMillis(), (int) readTimeout.toMillis(), threads);
        http = owned;
      }
      TwilioRestClient.Builder rb = apiKey != null
          ? new TwilioRestClient.Builder(apiKey, apiSecret).accountSid(accountSid)
          : new TwilioRestClient.Builder(accountSid, authToken);
      if (region != null) {
        rb.region(region);
      }
      if (edge != null) {
        rb.edge(edge);
      }
      return new TwilioSmsProvider(this, rb.httpClient(http).build(), owned);
    }

    private static final java.util.regex.Pattern SID_HEX = java.util.regex.Pattern.compile("[0-9a-fA-F]{32}");

    /** A SID as Twilio's API describes it: two letters then 32 hexadecimal digits; the value is not a secret. */
    private static void checkSid(String field, String value, String prefix, String what) {
      if (value != null && !(value.length() == 34 && value.startsWith(prefix)
          && SID_HEX.matcher(value.substring(2)).matches())) {
        throw new SmsConfigurationException("Twilio: " + field + " must be " + what + ", '" + prefix
            + "' followed by 32 hexadecimal digits; got " + value.length() + " characters starting with '"
            + value.substring(0, Math.min(2, value.length())) + "'");
      }
    }

    /**
     * A setting that must be given: null (typically {@code System.getenv} of a variable that is not set) or blank is a
     * configuration error naming the setting, never a NullPointerException. The value itself is never quoted.
     */
    private static String requireSetting(String value, String field) {
      if (value == null) {
        throw new SmsConfigurationException("Twilio: " + field + " is null (read from an environment variable or"
            + " setting that is not set?)");
      }
      if (value.isBlank()) {
        throw new SmsConfigurationException("Twilio: " + field + " is blank");
      }
      return value.strip();
    }

    private static String requireText(String value, String field) {
      Objects.requireNonNull(value, field + " == null");
      if (value.isBlank()) {
        throw new SmsValidationException(field, "is blank");
      }
      return value.strip();
    }

    private static Duration positive(Duration d, String field) {
      Objects.requireNonNull(d, field + " == null");
      if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
        throw new SmsValidationException(field, "must be positive: " + d);
      }
      return d;
    }

    @Override
    public String toString() {
      return "TwilioSmsProvider.Builder{name=" + name + ", accountSid=" + accountSid + "}";
    }
  }
}
