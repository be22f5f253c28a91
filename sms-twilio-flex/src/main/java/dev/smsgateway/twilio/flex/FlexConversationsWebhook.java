package dev.smsgateway.twilio.flex;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.twilio.TwilioWebhookSignature;
import dev.smsgateway.twilio.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Conversations service's post-event webhook for a {@link FlexDelivery}: when a customer's SMS opens a new
 * conversation (the earlier one closed), Twilio sends {@code onConversationAdded} with the SMS binding
 * ({@code MessagingBinding.Address}, the customer; {@code MessagingBinding.ProxyAddress}, the business number), and
 * this handler routes it with {@link FlexDelivery#routeReply}: to the worker of a live originator record, or to the
 * mapping's workflow. While a conversation is active Twilio adds the customer's replies to it by itself; nothing
 * reaches this handler.
 *
 * <p>Every request is checked in this order, and bad input never gets a 5xx:
 * <ol>
 *   <li>method other than POST: 405; body over {@value #MAX_BODY_BYTES} bytes: 413; not form data: 415;
 *   <li>missing or wrong {@code X-Twilio-Signature} (Twilio's HMAC-SHA1 over the URL and the sorted parameters, as
 *       sms-twilio checks it; a changed parameter is a wrong signature): 403;
 *   <li>malformed body: 400; another account's or another Conversations service's event: 403;
 *   <li>an event other than {@code onConversationAdded}, a conversation this delivery started itself, or one without an
 *       SMS binding: 200, nothing done;
 *   <li>a conversation already routed within the de-duplication window (a replayed or retried request): 200, nothing
 *       done;
 *   <li>routing failed (Twilio refused the interaction): 503, and the conversation is forgotten so that Twilio's retry
 *       routes it; otherwise 200.
 * </ol>
 *
 * <p>De-duplication is in memory for {@link Builder#deduplicationWindow} (default 24 hours): Twilio's signature has no
 * timestamp, so a replayed genuine request is recognised while its conversation is remembered.
 *
 * <p>Thread-safe.
 */
public final class FlexConversationsWebhook {

  /** The largest body accepted. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Logger log = LoggerFactory.getLogger(FlexConversationsWebhook.class);
  private static final Pattern CONVERSATION = Pattern.compile("CH[0-9a-fA-F]{32}");
  private static final int MAX_KEYS = 100_000;

  private final FlexDelivery delivery;
  private final TwilioWebhookSignature signature;
  private final String accountSid;
  private final Clock clock;
  private final Duration window;
  private final Map<String, Instant> routed = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
      return size() > MAX_KEYS;
    }
  };

  private FlexConversationsWebhook(Builder b) {
    this.delivery = b.delivery;
    this.signature = TwilioWebhookSignature.of(b.authTokens);
    this.accountSid = b.accountSid;
    this.clock = b.clock;
    this.window = b.window;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Handles one request.
   *
   * @param method the HTTP method
   * @param url the full public URL Twilio signed (as configured in the Conversations service), query string included
   * @param headers the request headers (names in any case)
   * @param body the raw body
   */
  public WebhookResponse handle(String method, String url, Map<String, List<String>> headers, byte[] body) {
    Objects.requireNonNull(url, "url == null");
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(body, "body == null");
    if (!"POST".equals(method)) {
      return error(405, "method not allowed");
    }
    if (body.length > MAX_BODY_BYTES) {
      return error(413, "body larger than " + MAX_BODY_BYTES + " bytes");
    }
    String contentType = header(headers, "Content-Type");
    if (contentType == null || !contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)
        .equals("application/x-www-form-urlencoded")) {
      return error(415, "expected application/x-www-form-urlencoded");
    }
    List<Map.Entry<String, String>> params;
    try {
      params = TwilioWebhookSignature.parseForm(new String(body, StandardCharsets.UTF_8), 200);
    } catch (IllegalArgumentException e) {
      // parse errors are only told once the signature is known good: a forger learns nothing first
      return signature.validForm(url, List.of(), header(headers, "X-Twilio-Signature"))
          ? error(400, "malformed body: " + e.getMessage()) : error(403, "invalid signature");
    }
    if (!signature.validForm(url, params, header(headers, "X-Twilio-Signature"))) {
      log.warn("Flex Conversations webhook: refused a request with a missing or invalid signature");
      return error(403, "invalid signature");
    }
    Map<String, String> p = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : params) {
      p.putIfAbsent(e.getKey(), e.getValue());
    }
    if (accountSid != null && !accountSid.equals(p.get("AccountSid"))) {
      return error(403, "event of another account");
    }
    String service = p.get("ChatServiceSid");
    if (service != null && !service.equals(delivery.mapping().flex().orElseThrow().conversationServiceSid())) {
      return error(403, "event of another Conversations service");
    }
    if (!"onConversationAdded".equals(p.get("EventType"))) {
      return ok("ignored: " + (p.get("EventType") == null ? "no EventType" : "not onConversationAdded"));
    }
    String conversation = p.get("ConversationSid");
    if (conversation == null || !CONVERSATION.matcher(conversation).matches()) {
      return error(400, "ConversationSid is missing or not a conversation SID");
    }
    String address = p.get("MessagingBinding.Address");
    String proxy = p.get("MessagingBinding.ProxyAddress");
    if (address == null || proxy == null) {
      return ok("ignored: no SMS binding");
    }
    if (delivery.started(conversation)) {
      return ok("ignored: a conversation this delivery started");
    }
    PhoneNumber customer;
    Originator business;
    try {
      customer = PhoneNumber.of(address);
      business = Originator.parse(proxy, delivery.mapping().defaultCountry());
    } catch (RuntimeException e) {
      return error(400, "MessagingBinding is not a pair of phone numbers");
    }
    if (delivery.mapping().number(business).isEmpty()) {
      return ok("ignored: " + business + " is not a number of mapping " + delivery.mapping().code());
    }
    Instant now = clock.instant();
    synchronized (routed) {
      Instant until = routed.get(conversation);
      if (until != null && until.isAfter(now)) {
        return ok("duplicate");
      }
      routed.put(conversation, now.plus(window));
    }
    try {
      FlexReply reply = delivery.routeReply(conversation, customer, business);
      return ok(reply.targeted() ? "routed to the originating worker" : "routed to the workflow");
    } catch (RuntimeException e) {
      synchronized (routed) {
        routed.remove(conversation);
      }
      // the step and status only: Twilio's error text may quote the numbers
      log.warn("Flex Conversations webhook: could not route conversation {} ({}); Twilio will retry", conversation,
          e instanceof FlexDeliveryException f ? f.step() + ", HTTP " + f.status() : e.getClass().getSimpleName());
      return error(503, "routing failed; retry");
    }
  }

  private static String header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  private static WebhookResponse ok(String what) {
    return new WebhookResponse(200, Map.of("Content-Type", "text/plain; charset=utf-8"), what);
  }

  private static WebhookResponse error(int status, String reason) {
    return new WebhookResponse(status, Map.of("Content-Type", "text/plain; charset=utf-8"), reason);
  }

  /** Builds a {@link FlexConversationsWebhook}. Not thread-safe. */
  public static final class Builder {
    private FlexDelivery delivery;
    private List<String> authTokens;
    private String accountSid;
    private Clock clock = Clock.systemUTC();
    private Duration window = Duration.ofHours(24);

    private Builder() {}

    /** The delivery whose mapping and Conversations service this webhook serves. Required. */
    public Builder delivery(FlexDelivery delivery) {
      this.delivery = delivery;
      return this;
    }

    /** The account's auth token, then any secondary one valid during a rotation. Required. */
    public Builder authTokens(List<String> authTokens) {
      this.authTokens = authTokens;
      return this;
    }

    /** The account SID events must carry; null (default) accepts any signed with the token. */
    public Builder accountSid(String accountSid) {
      this.accountSid = accountSid;
      return this;
    }

    /** The clock for de-duplication. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** How long a routed conversation is remembered against replays. Default 24 hours; zero or more. */
    public Builder deduplicationWindow(Duration window) {
      if (window == null || window.isNegative()) {
        throw new IllegalArgumentException("deduplicationWindow must be zero or more");
      }
      this.window = window;
      return this;
    }

    /** Builds it. @throws IllegalArgumentException naming a missing setting */
    public FlexConversationsWebhook build() {
      if (delivery == null) {
        throw new IllegalArgumentException("delivery is required");
      }
      if (authTokens == null || authTokens.isEmpty()) {
        throw new IllegalArgumentException("authTokens is required");
      }
      return new FlexConversationsWebhook(this);
    }
  }
}
