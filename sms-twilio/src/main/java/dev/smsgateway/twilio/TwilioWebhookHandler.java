package dev.smsgateway.twilio;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.SmsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 600 lines: the checks of the javadoc below run in that order in one place, and the rest is the builder and the
// listener timeout that those checks hand over to; the request readings that build nothing per request live in
// WebhookRequests and FormFields.
/**
 * Handles Twilio's Messaging webhooks, framework-neutral: an inbound message becomes an {@link InboundSms}, a status
 * callback a {@link DeliveryReport}, both handed to a {@link ProviderListener}. Give it the HTTP method, the full
 * public URL Twilio called (as configured in Twilio, query string included; behind a proxy, built from a configured
 * public base URL and never from the Host header), the request headers and the raw body; write the returned
 * {@link WebhookResponse} back. {@link TwilioHttpServerHandler} does this for the JDK's {@code HttpServer}.
 *
 * <p>Every request is checked in this order, and bad input never gets a 5xx:
 * <ol>
 *   <li>method other than POST: 405;
 *   <li>{@code Content-Length} over {@value #MAX_BODY_BYTES} bytes: 413 before reading the body; the body is read with
 *       the same cap, so a chunked body over the limit is also 413 and is never buffered whole;
 *   <li>content type other than form data or JSON: 415;
 *   <li>missing or wrong {@code X-Twilio-Signature} (HMAC-SHA1 with the auth token over the URL with and without its
 *       port, plus the sorted form parameters; JSON bodies through the URL's {@code bodySHA256}): 403;
 *   <li>malformed body, or a payload without the fields Twilio always sends: 400;
 *   <li>a duplicate (same {@code MessageSid} inbound; same {@code MessageSid} and {@code MessageStatus} for status
 *       callbacks, so later states still pass) within the de-duplication window: 200 without calling the listener;
 *   <li>the listener throws: 503, and the event is forgotten by the de-duplication so that Twilio's retry is
 *       processed;
 *   <li>with {@link Builder#listenerTimeout}: the listener has not returned within the timeout: 503, so that Twilio
 *       retries; the listener keeps running, and its late outcome decides the retry's answer (done: 200 as a
 *       duplicate; failed: forgotten and processed again; still running: 503 again). A 200 is only ever sent for an
 *       event the listener has taken;
 *   <li>otherwise 200 with empty TwiML ({@code <Response/>}, {@code text/xml}).
 * </ol>
 *
 * <p>De-duplication here is in memory, per handler, for {@link Builder#deduplicationWindow} (default 24 hours, at most
 * {@link Builder#deduplicationCapacity} keys): it makes the handler correct on its own. Twilio signatures carry no
 * timestamp, so a replayed genuine request is only recognized while its key is remembered; the {@code SmsGateway}
 * additionally de-duplicates inbound messages through its shared {@code MessageStore}, across instances.
 *
 * <p>Thread-safe. The listener is called on the thread that calls {@link #handle}, or, with
 * {@link Builder#listenerTimeout}, on the configured executor while that thread waits at most the timeout.
 */
public final class TwilioWebhookHandler {

  /** The largest body accepted; Twilio's Messaging webhooks are a few KiB at most. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Logger log = LoggerFactory.getLogger(TwilioWebhookHandler.class);

  private static final int MAX_PARAMS = 200;
  private static final int MAX_MEDIA = 10;
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).maxStringLength(MAX_BODY_BYTES).build())
      .build();

  private final String provider;
  private final TwilioSignature signature;
  private final ProviderListener listener;
  private final Clock clock;
  private final String accountSid;
  private final RecentKeys seen;
  private final Duration listenerTimeout;
  private final Executor listenerExecutor;
  private final Map<String, CompletableFuture<Void>> inProgress = new ConcurrentHashMap<>();
  // Our own numbers are few and arrive on every message: each is read once (libphonenumber tells toll-free from long
  // codes at 10-20 us a call, most of a webhook's cost otherwise), then remembered. Bounded against odd traffic.
  // Keyed by the number alone (no key string built per request), with the country it was read in.
  private final Map<String, KnownNumber> businessNumbers = new ConcurrentHashMap<>();
  private static final int MAX_BUSINESS_NUMBERS = 10_000;
  private volatile UrlMapping lastMapping;

  private TwilioWebhookHandler(Builder b) {
    this.listenerTimeout = b.listenerTimeout;
    this.listenerExecutor = b.listenerTimeout == null ? null
        : b.listenerExecutor != null ? b.listenerExecutor : daemonThreads(b.provider);
    this.provider = b.provider;
    this.signature = new TwilioSignature(b.authTokens);
    this.listener = b.listener;
    this.clock = b.clock;
    this.accountSid = b.accountSid;
    this.seen = new RecentKeys(b.window, b.capacity);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Handles one request whose body is already in memory.
   *
   * @param method the HTTP method
   * @param url the full public URL Twilio signed, query string included
   * @param headers the request headers (names in any case)
   * @param body the raw body
   */
  public WebhookResponse handle(String method, String url, Map<String, List<String>> headers, byte[] body) {
    Objects.requireNonNull(body, "body == null");
    return handle(method, url, headers, new ByteArrayInputStream(body));
  }

  /**
   * Handles one request, reading at most {@value #MAX_BODY_BYTES} + 1 bytes of {@code body}. The caller closes the
   * stream.
   *
   * @param method the HTTP method
   * @param url the full public URL Twilio signed, query string included
   * @param headers the request headers (names in any case)
   * @param body the raw body
   */
  public WebhookResponse handle(String method, String url, Map<String, List<String>> headers, InputStream body) {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(url, "url == null");
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(body, "body == null");
    try {
      return handleChecked(method, url, headers, body);
    } catch (BadRequest e) {
      return WebhookResponse.error(400, e.getMessage());
    } catch (RuntimeException e) {
      // Unexpected input we did not anticipate: still the sender's problem, never a 5xx.
      log.warn("Twilio webhook: rejected a request that failed to parse ({})", e.getClass().getSimpleName());
      return WebhookResponse.error(400, "malformed request");
    }
  }

  private WebhookResponse handleChecked(String method, String url, Map<String, List<String>> headers,
      InputStream in) {
    if (!"POST".equals(method)) {
      return WebhookResponse.error(405, "method not allowed", Map.of("Allow", "POST"));
    }
    String[] wanted = WebhookRequests.headers(headers);
    String contentLength = wanted[0];
    long declared = -1;
    if (contentLength != null) {
      try {
        declared = Long.parseLong(contentLength.strip());
      } catch (NumberFormatException e) {
        throw new BadRequest("bad Content-Length");
      }
      if (declared < 0) {
        throw new BadRequest("bad Content-Length");
      }
      if (declared > MAX_BODY_BYTES) {
        return WebhookResponse.error(413, "body larger than " + MAX_BODY_BYTES + " bytes");
      }
    }
    String contentType = wanted[1];
    boolean form = WebhookRequests.isMediaType(contentType, "application/x-www-form-urlencoded");
    boolean json = !form && WebhookRequests.isMediaType(contentType, "application/json");
    if (!form && !json) {
      return WebhookResponse.error(415, "expected application/x-www-form-urlencoded or application/json");
    }
    byte[] body;
    try {
      // with a Content-Length, exactly that much (one right-sized array); without one, up to the cap and one more
      body = in.readNBytes(declared >= 0 ? (int) declared : MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      throw new BadRequest("could not read the body");
    }
    if (body.length > MAX_BODY_BYTES) {
      return WebhookResponse.error(413, "body larger than " + MAX_BODY_BYTES + " bytes");
    }
    String sig = wanted[2];
    if (sig == null) {
      return WebhookResponse.error(403, "missing X-Twilio-Signature");
    }
    FormFields p;
    if (form) {
      try {
        p = FormFields.parse(body, body.length, MAX_PARAMS);
      } catch (IllegalArgumentException e) {
        throw new BadRequest("malformed form body: " + e.getMessage());
      }
      if (!signature.validForm(url, p, sig)) {
        return WebhookResponse.error(403, "invalid signature");
      }
    } else {
      if (!signature.validJson(url, body, sig)) {
        return WebhookResponse.error(403, "invalid signature");
      }
      p = parseFlatJson(body);
    }
    String account = p.get("AccountSid");
    if (accountSid != null && account != null && !accountSid.equals(account)) {
      return WebhookResponse.error(403, "AccountSid does not match this handler's account");
    }
    String status = p.get("MessageStatus");
    if (status != null && !status.equalsIgnoreCase("received") && !status.equalsIgnoreCase("receiving")) {
      return statusCallback(url, p, status.strip().toLowerCase(Locale.ROOT));
    }
    return inbound(url, p);
  }

  private WebhookResponse inbound(String url, FormFields p) {
    String sid = require(p, "MessageSid");
    if (!WebhookRequests.isSid(sid)) {
      throw new BadRequest("MessageSid is not a Twilio SID");
    }
    String fromCountry = p.get("FromCountry");
    String toCountry = p.get("ToCountry");
    PhoneNumber from = number(require(p, "From"), fromCountry, "From");
    Originator to = cachedBusiness(require(p, "To"), country(toCountry));
    int numMedia = count(p.get("NumMedia"), 0, MAX_MEDIA, "NumMedia");
    WebhookRequests.Attributes attributes = new WebhookRequests.Attributes(6 + numMedia);
    attributes.putIfPresent("accountSid", p.get("AccountSid"));
    attributes.putIfPresent("messagingServiceSid", p.get("MessagingServiceSid"));
    attributes.putIfPresent("optOutType", p.get("OptOutType"));
    attributes.putIfPresent("fromCountry", fromCountry);
    attributes.putIfPresent("toCountry", toCountry);
    attributes.putIfPresent("mapping", mappingCodeOf(url));
    List<URI> media = numMedia == 0 ? List.of() : new ArrayList<>(numMedia);
    for (int i = 0; i < numMedia; i++) {
      String mediaUrl = p.get("MediaUrl" + i);
      if (mediaUrl == null) {
        throw new BadRequest("MediaUrl" + i + " is missing (NumMedia=" + numMedia + ")");
      }
      try {
        URI uri = new URI(mediaUrl);
        if (!uri.isAbsolute()) {
          throw new BadRequest("MediaUrl" + i + " is not absolute");
        }
        media.add(uri);
      } catch (URISyntaxException e) {
        throw new BadRequest("MediaUrl" + i + " is not a URL");
      }
      attributes.putIfPresent("mediaContentType" + i, p.get("MediaContentType" + i));
    }
    Instant now = clock.instant();
    InboundSms sms = InboundSms.builder()
        .provider(provider)
        .providerMessageId(sid)
        .from(from)
        .to(to)
        .body(Objects.requireNonNullElse(p.get("Body"), ""))
        .parts(Math.max(1, count(p.get("NumSegments"), 1, 1000, "NumSegments")))
        .receivedAt(now)
        .mediaUrls(media)
        .attributes(attributes.toMap())
        .build();
    // the SID alone: status callbacks' keys start with "st:", which no SID does
    if (!seen.add(sid, now)) {
      CompletableFuture<Void> busy = inProgress.get(sid);
      if (busy != null) {
        return await(sid, busy, null, sid);
      }
      log.debug("Twilio webhook: duplicate inbound {} acknowledged without routing", sid);
      return WebhookResponse.twiml();
    }
    return deliver(sid, sms, null, null, sid);
  }

  private WebhookResponse statusCallback(String url, FormFields p, String rawStatus) {
    String sid = require(p, "MessageSid");
    if (!WebhookRequests.isSid(sid)) {
      throw new BadRequest("MessageSid is not a Twilio SID");
    }
    String errorCode = p.get("ErrorCode");
    if (errorCode != null && (errorCode.isBlank() || errorCode.length() > 16)) {
      errorCode = null;
    }
    Instant now = clock.instant();
    DeliveryReport report = DeliveryReport.builder()
        .provider(provider)
        .providerMessageId(sid)
        .messageId(TwilioSignature.queryParameter(url, TwilioWebhookUrls.MESSAGE_ID_PARAM))
        .status(statusOf(rawStatus, errorCode))
        .rawStatus(rawStatus)
        .errorCode(errorCode)
        .occurredAt(now)
        .build();
    String key = "st:" + sid + ":" + rawStatus;
    if (!seen.add(key, now)) {
      CompletableFuture<Void> busy = inProgress.get(key);
      if (busy != null) {
        return await(key, busy, rawStatus, sid);
      }
      log.debug("Twilio webhook: duplicate status {} for {} acknowledged", rawStatus, sid);
      return WebhookResponse.twiml();
    }
    return deliver(key, null, report, rawStatus, sid);
  }

  /**
   * Calls the listener with {@code sms} or {@code report}: here, or on the executor for at most the listener timeout.
   * 200 only once it has returned. {@code rawStatus} (null for a message) and {@code sid} name the event in the log,
   * only when it fails.
   */
  private WebhookResponse deliver(String key, InboundSms sms, DeliveryReport report, String rawStatus, String sid) {
    if (listenerTimeout == null) {
      try {
        call(sms, report);
      } catch (RuntimeException e) {
        seen.remove(key);
        log.warn("Twilio webhook: listener failed on {} ({}); answering 503 so that Twilio retries",
            event(rawStatus, sid), e.toString());
        return WebhookResponse.error(503, "not processed, retry later");
      }
      return WebhookResponse.twiml();
    }
    CompletableFuture<Void> running = new CompletableFuture<>();
    inProgress.put(key, running);
    running.whenComplete((v, e) -> {
      inProgress.remove(key, running);
      if (e != null) {
        seen.remove(key); // not taken: the retry must be processed
      }
    });
    try {
      listenerExecutor.execute(() -> {
        try {
          call(sms, report);
          running.complete(null);
        } catch (Throwable t) {
          running.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException e) {
      running.completeExceptionally(e);
    }
    return await(key, running, rawStatus, sid);
  }

  private void call(InboundSms sms, DeliveryReport report) {
    if (sms != null) {
      listener.onInbound(sms);
    } else {
      listener.onDeliveryReport(report);
    }
  }

  /** The mapping code of the URL; the last URL's is kept, as a webhook URL comes again and again. */
  private String mappingCodeOf(String url) {
    UrlMapping last = lastMapping;
    if (last != null && last.url.equals(url)) {
      return last.code;
    }
    String code = TwilioWebhookUrls.mappingCodeOf(url);
    lastMapping = new UrlMapping(url, code);
    return code;
  }

  private record UrlMapping(String url, String code) {}

  private static String event(String rawStatus, String sid) {
    return rawStatus == null ? "inbound " + sid : "status " + rawStatus + " of " + sid;
  }

  private WebhookResponse await(String key, CompletableFuture<Void> running, String rawStatus, String sid) {
    try {
      running.get(listenerTimeout.toNanos(), TimeUnit.NANOSECONDS);
      return WebhookResponse.twiml();
    } catch (ExecutionException e) {
      seen.remove(key);
      inProgress.remove(key, running);
      log.warn("Twilio webhook: listener failed on {} ({}); answering 503 so that Twilio retries",
          event(rawStatus, sid), e.getCause().toString());
    } catch (TimeoutException e) {
      log.warn("Twilio webhook: listener still busy on {} after {}; answering 503 so that Twilio retries",
          event(rawStatus, sid), listenerTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return WebhookResponse.error(503, "not processed, retry later");
  }

  private static Executor daemonThreads(String provider) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "twilio-webhook-" + provider + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Twilio's MessageStatus values (https://www.twilio.com/docs/messaging/api/message-resource#message-status-values)
   * mapped to our monotonic statuses.
   */
  static DeliveryStatus statusOf(String raw, String errorCode) {
    return switch (raw) {
      case "accepted", "scheduled", "queued", "sending" -> DeliveryStatus.ACCEPTED;
      case "sent" -> DeliveryStatus.SENT;
      case "delivered", "read" -> DeliveryStatus.DELIVERED;
      case "undelivered", "failed" -> TwilioErrors.asyncStatus(errorCode, DeliveryStatus.FAILED);
      case "canceled" -> DeliveryStatus.FAILED;
      default -> DeliveryStatus.UNKNOWN;
    };
  }

  private static FormFields parseFlatJson(byte[] body) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequest("JSON body is not an object");
      }
      JsonToken t;
      while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken v = parser.nextToken();
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
          parser.skipChildren();
          continue;
        }
        if (v != JsonToken.VALUE_NULL) {
          out.add(Map.entry(name, parser.getText()));
        }
        if (out.size() > MAX_PARAMS) {
          throw new BadRequest("too many JSON fields");
        }
      }
      if (t != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new BadRequest("malformed JSON body");
      }
    } catch (IOException e) {
      throw new BadRequest("malformed JSON body");
    }
    return FormFields.of(out);
  }

  /**
   * Our number as an Originator: toll-free and short codes recognized. An E.164 number libphonenumber does not know
   * (a new range, a test number) is still our number: taken as a long code rather than refused, since Twilio does not
   * redeliver a message answered with 400.
   */
  private Originator cachedBusiness(String raw, String country) {
    KnownNumber known = businessNumbers.get(raw);
    if (known != null && Objects.equals(known.country, country)) {
      return known.originator;
    }
    Originator parsed = business(raw, country);
    if (businessNumbers.size() >= MAX_BUSINESS_NUMBERS) {
      businessNumbers.clear();
    }
    businessNumbers.put(raw, new KnownNumber(country, parsed)); // a number seen in another country is read again
    return parsed;
  }

  private record KnownNumber(String country, Originator originator) {}

  private static Originator business(String raw, String country) {
    try {
      return Originator.parse(raw, country);
    } catch (SmsException e) {
      if (PhoneNumber.isE164(raw)) {
        return Originator.longCode(PhoneNumber.of(raw));
      }
      throw new BadRequest("To is not a phone number, short code or sender id");
    }
  }

  private static PhoneNumber number(String raw, String country, String field) {
    if (PhoneNumber.isE164(raw)) {
      return PhoneNumber.of(raw);
    }
    try {
      return PhoneNumbers.normalize(raw, country(country), field);
    } catch (SmsException e) {
      throw new BadRequest(field + " is not a phone number");
    }
  }

  private static String country(String raw) {
    return raw != null && raw.length() == 2 && isAsciiLetter(raw.charAt(0)) && isAsciiLetter(raw.charAt(1))
        ? raw.toUpperCase(Locale.ROOT) : null;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static int count(String raw, int dflt, int max, String field) {
    if (raw == null || raw.isBlank()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(raw.strip());
      if (n < 0 || n > max) {
        throw new BadRequest(field + " is out of range 0.." + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest(field + " is not a number");
    }
  }

  private static String require(FormFields p, String name) {
    String v = p.get(name);
    if (v == null || v.isBlank()) {
      throw new BadRequest(name + " is missing");
    }
    return v.strip();
  }

  @Override
  public String toString() {
    return "TwilioWebhookHandler{provider=" + provider + "}";
  }

  /** A 400: the request is malformed. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  /** Builds {@link TwilioWebhookHandler}. Not thread-safe. */
  public static final class Builder {
    private String provider = "twilio";
    private List<String> authTokens = List.of();
    private ProviderListener listener;
    private Clock clock = Clock.systemUTC();
    private String accountSid;
    private Duration window = Duration.ofHours(24);
    private int capacity = 100_000;
    private Duration listenerTimeout;
    private Executor listenerExecutor;

    private Builder() {}

    /**
     * Answer 503 (so that Twilio retries) when the listener has not returned within {@code timeout}, instead of
     * holding the request until it does. Use it when the listener (the gateway's store or inbound handler) can be
     * slower than Twilio's 15 s webhook timeout or your latency budget. The listener then runs on {@code executor}
     * (null: a cached pool of daemon threads owned by the handler). Default: no timeout, listener on the caller's
     * thread.
     */
    public Builder listenerTimeout(Duration timeout, Executor executor) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new dev.smsgateway.SmsValidationException("listenerTimeout", "must be positive: " + timeout);
      }
      this.listenerTimeout = timeout;
      this.listenerExecutor = executor;
      return this;
    }

    /** The provider name put on the messages and reports. Default {@code twilio}. */
    public Builder provider(String provider) {
      this.provider = Objects.requireNonNull(provider, "provider == null");
      return this;
    }

    /**
     * The account's auth token (the signing key). Required. Give a second one while rotating tokens: requests signed
     * with either are accepted.
     */
    public Builder authToken(String authToken, String... secondary) {
      Objects.requireNonNull(authToken, "authToken == null");
      List<String> all = new ArrayList<>();
      all.add(authToken);
      all.addAll(Arrays.asList(secondary));
      for (String t : all) {
        if (t == null || t.isBlank()) {
          throw new dev.smsgateway.SmsValidationException("authToken", "is blank");
        }
      }
      this.authTokens = List.copyOf(all);
      return this;
    }

    /** Receives inbound messages and delivery reports. Required. */
    public Builder listener(ProviderListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener == null");
      return this;
    }

    /** The clock for receive times and the de-duplication window. Default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** When set, requests whose {@code AccountSid} differs are refused with 403. */
    public Builder accountSid(String accountSid) {
      this.accountSid = accountSid;
      return this;
    }

    /** How long a MessageSid (inbound) or MessageSid + status (callbacks) is remembered. Zero disables. Default 24 h. */
    public Builder deduplicationWindow(Duration window) {
      Objects.requireNonNull(window, "window == null");
      if (window.isNegative()) {
        throw new dev.smsgateway.SmsValidationException("deduplicationWindow", "is negative: " + window);
      }
      this.window = window;
      return this;
    }

    /** The most keys remembered; the oldest are forgotten first. Default 100,000 (about 10 MB). */
    public Builder deduplicationCapacity(int capacity) {
      if (capacity < 1) {
        throw new dev.smsgateway.SmsValidationException("deduplicationCapacity", "must be >= 1: " + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /**
     * Builds the handler.
     *
     * @throws dev.smsgateway.SmsConfigurationException if the auth token or listener is missing
     */
    public TwilioWebhookHandler build() {
      if (authTokens.isEmpty()) {
        throw new dev.smsgateway.SmsConfigurationException(
            "Twilio webhook: an auth token is required to validate X-Twilio-Signature (twilio.authToken or twilio.webhookAuthToken)");
      }
      if (listener == null) {
        throw new dev.smsgateway.SmsConfigurationException("Twilio webhook: a listener is required");
      }
      return new TwilioWebhookHandler(this);
    }
  }
}
