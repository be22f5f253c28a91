package dev.smsgateway.compliance;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsComplianceException;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Past 600 lines by its public Builder (~160 lines of documented settings); the checks are one engine with one
// audit sequence, so they stay together.
/**
 * The compliance engine, the same for every provider: consent per purpose and scope, the reach of an opt-out, quiet
 * hours in the recipient's local time, and the audit trail. Give it to the {@code SmsGateway} builder (it checks
 * every send, holds what quiet hours hold and audits sends and reports) and to the routing engine (keywords record
 * consent; routing decisions are audited).
 *
 * <pre>{@code
 * Compliance compliance = Compliance.builder()
 *     .consentStore(stores.consentStore())
 *     .heldMessageStore(stores.heldMessageStore())
 *     .auditLog(stores.auditLog())
 *     .brand("acme", "+14155550199", "+14155550198")
 *     .quietHours("+14155550199", QuietHours.builder().build())
 *     .defaultZone(ZoneId.of("America/New_York"))
 *     .build();
 * }</pre>
 *
 * <p>A send is checked when it is accepted and again right before it goes to the provider: the recipient must not
 * have withdrawn consent for the send's purpose in the sender's number's scope, its brand's or globally (the latest
 * record of the three is in force); a marketing send needs a grant in force; and outside the window of the number's
 * (or its brand's) {@link QuietHours} the send is refused or held. Keyword replies (the STOP confirmation) pass.
 *
 * <p>Thread-safe.
 */
public final class Compliance {

  private static final Logger log = LoggerFactory.getLogger(Compliance.class);

  /** The attribute an agent's reply carries with its conversation id. */
  static final String ATTR_CONVERSATION_ID = "conversationId";
  static final String ATTR_AGENT_ID = "agentId";

  private final ConsentStore consents;
  private final HeldMessageStore held;
  private final AuditLog audit;
  private final ConversationStore conversations;
  private final Clock clock;
  private final RecipientTimeZones timeZones;
  private final ZoneId defaultZone;
  private final Map<String, String> brandOfNumber;
  private final Map<String, QuietHours> quietHours;
  private final Map<String, OptOutScope> scopeByRegion;
  private final OptOutScope defaultScope;
  private final Map<String, Set<Purpose>> keywordPurposes;
  private final AtomicLong lastSequence = new AtomicLong();
  private final AuditingListener listener;
  private final RetentionPolicy retention;
  private final RetentionStore retentionStore;

  private Compliance(Builder b) {
    this.consents = b.consents;
    this.held = b.held;
    this.audit = b.audit;
    this.conversations = b.conversations;
    this.clock = b.clock;
    this.timeZones = b.timeZones;
    this.defaultZone = b.defaultZone;
    this.brandOfNumber = Map.copyOf(b.brandOfNumber);
    this.quietHours = Map.copyOf(b.quietHours);
    this.scopeByRegion = Map.copyOf(b.scopeByRegion);
    this.defaultScope = b.defaultScope;
    this.keywordPurposes = Map.copyOf(b.keywordPurposes);
    this.listener = new AuditingListener(this);
    this.retention = b.retention;
    this.retentionStore = b.retentionStore;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- consent ----

  /** Records a grant of consent (by a web form, an agent, the API) and audits it. */
  public ConsentRecord grant(PhoneNumber customer, String scope, Purpose purpose, ConsentMethod method,
      String proofReference) {
    return consent(customer, scope, purpose, true, method, proofReference, clock.instant());
  }

  /** Records a withdrawal of consent and audits it. */
  public ConsentRecord withdraw(PhoneNumber customer, String scope, Purpose purpose, ConsentMethod method,
      String proofReference) {
    return consent(customer, scope, purpose, false, method, proofReference, clock.instant());
  }

  private ConsentRecord consent(PhoneNumber customer, String scope, Purpose purpose, boolean granted,
      ConsentMethod method, String proof, Instant at) {
    ConsentRecord r = new ConsentRecord(customer, scope, purpose, granted, method, proof, at);
    consents.record(r);
    audit(AuditEvent.Type.CONSENT, at, customer, null, null, null, granted ? "GRANTED" : "WITHDRAWN",
        purpose + " for " + scope + " by " + method + (proof == null ? "" : " (proof " + proof + ")"));
    return r;
  }

  /**
   * The record in force for a send from {@code business} to {@code customer} for {@code purpose}: the latest among
   * the number's scope, its brand's and the global one.
   */
  public Optional<ConsentRecord> consentInForce(PhoneNumber customer, Originator business, Purpose purpose) {
    ConsentRecord best = null;
    for (String scope : scopesOf(business)) {
      ConsentRecord r = consents.latest(customer, scope, purpose).orElse(null);
      if (r != null && (best == null || r.at().isAfter(best.at()))) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }

  private List<String> scopesOf(Originator business) {
    List<String> scopes = new ArrayList<>(3);
    if (business != null) {
      scopes.add(ConsentScopes.number(business));
      String brand = brandOfNumber.get(business.key());
      if (brand != null) {
        scopes.add(ConsentScopes.brand(brand));
      }
    }
    scopes.add(ConsentScopes.GLOBAL);
    return scopes;
  }

  /** The scope an opt-out by {@code customer} reaches: configured per the number's country, else the default. */
  public OptOutScope optOutScope(PhoneNumber customer) {
    String region = regionOf(customer);
    return region == null ? defaultScope : scopeByRegion.getOrDefault(region, defaultScope);
  }

  /** The scope key an opt-out or opt-in keyword texted to {@code business} is recorded under. */
  public String keywordScope(PhoneNumber customer, Originator business) {
    return switch (optOutScope(customer)) {
      case GLOBAL -> ConsentScopes.GLOBAL;
      case BRAND -> Optional.ofNullable(brandOfNumber.get(business.key())).map(ConsentScopes::brand)
          .orElse(ConsentScopes.number(business));
      case BUSINESS_NUMBER -> ConsentScopes.number(business);
    };
  }

  /**
   * Records an opt-out keyword: consent for every purpose withdrawn in the customer's opt-out scope. Returns true when
   * that scope is global (the caller then also records the opt-out in the global opt-out store, as without this
   * engine).
   */
  public boolean keywordOptOut(PhoneNumber customer, Originator business, String keyword, String proof, Instant at) {
    String scope = keywordScope(customer, business);
    for (Purpose p : Purpose.values()) {
      consent(customer, scope, p, false, ConsentMethod.KEYWORD, proof == null ? keyword : keyword + " " + proof, at);
    }
    return ConsentScopes.GLOBAL.equals(scope);
  }

  /**
   * Records an opt-in keyword: consent granted, in the customer's opt-out scope, for the purposes configured for the
   * keyword (START and UNSTOP: every purpose). Returns true when that scope is global.
   */
  public boolean keywordOptIn(PhoneNumber customer, Originator business, String keyword, String proof, Instant at) {
    String scope = keywordScope(customer, business);
    for (Purpose p : keywordPurposes.getOrDefault(keyword, EnumSet.allOf(Purpose.class))) {
      consent(customer, scope, p, true, ConsentMethod.KEYWORD, proof == null ? keyword : keyword + " " + proof, at);
    }
    return ConsentScopes.GLOBAL.equals(scope);
  }

  /** The opt-in keywords configured with their purposes (START and UNSTOP grant every purpose unless configured). */
  public Set<String> optInKeywords() {
    return keywordPurposes.keySet();
  }

  // ---- checks on sends ----

  /**
   * Checks a send being accepted. Returns empty to send now, or the instant the quiet-hours window opens to hold it.
   *
   * @throws SmsOptedOutException if consent for the purpose was withdrawn in the sender's scope
   * @throws SmsComplianceException for a marketing send without consent, or outside the window when refusing
   */
  public Optional<Instant> beforeAccept(OutboundSms sms, PhoneNumber to, Originator from) {
    if (sms.keywordReply()) {
      return Optional.empty();
    }
    SmsException refusal = consentRefusal(sms, to, from);
    if (refusal != null) {
      throw refusal;
    }
    QuietHours window = quietHoursFor(from);
    if (window == null || !window.purposes().contains(sms.purpose())
        || window.exemptConversationReplies() && isConversationReply(sms, to)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    ZoneId zone = zoneOf(to);
    if (window.isOpen(now, zone)) {
      return Optional.empty();
    }
    Instant opens = window.nextOpening(now, zone);
    if (window.action() == QuietHours.Action.REFUSE) {
      throw new SmsComplianceException(SmsComplianceException.Rule.QUIET_HOURS, to, "recipient " + to
          + " is in quiet hours (" + window.opens() + "-" + window.closes() + " open, " + zone + "); the window opens at "
          + opens, opens);
    }
    return Optional.of(opens);
  }

  /** The consent check again, right before the provider call: null when the send may go. */
  public SmsException beforeWire(OutboundSms sms, PhoneNumber to, Originator from) {
    return sms.keywordReply() ? null : consentRefusal(sms, to, from);
  }

  private SmsException consentRefusal(OutboundSms sms, PhoneNumber to, Originator from) {
    Optional<ConsentRecord> inForce = consentInForce(to, from, sms.purpose());
    if (inForce.isPresent() && !inForce.get().granted()) {
      return new SmsOptedOutException(to);
    }
    if (sms.purpose() == Purpose.MARKETING && inForce.isEmpty()) {
      return new SmsComplianceException(SmsComplianceException.Rule.NO_CONSENT, to, "marketing message to " + to
          + " refused: no consent recorded for " + (from == null ? "the default sender" : from) + ", its brand or"
          + " globally; record it with Compliance.grant or an opt-in keyword", null);
    }
    return null;
  }

  private QuietHours quietHoursFor(Originator from) {
    if (from == null || quietHours.isEmpty()) {
      return null;
    }
    QuietHours q = quietHours.get(ConsentScopes.number(from));
    if (q == null) {
      String brand = brandOfNumber.get(from.key());
      q = brand == null ? null : quietHours.get(ConsentScopes.brand(brand));
    }
    return q;
  }

  /** An agent's reply into an open conversation with this customer (conversations open on a customer's message). */
  private boolean isConversationReply(OutboundSms sms, PhoneNumber to) {
    String id = sms.attributes().get(ATTR_CONVERSATION_ID);
    if (id == null || !sms.attributes().containsKey(ATTR_AGENT_ID) || conversations == null) {
      return false;
    }
    Optional<Conversation> c = conversations.find(id);
    return c.isPresent() && c.get().isOpen() && c.get().customer().equals(to);
  }

  /** The recipient's zone: from the number where it gives one, else the configured default. */
  public ZoneId zoneOf(PhoneNumber recipient) {
    return timeZones.zoneOf(recipient).orElse(defaultZone);
  }

  // ---- held messages ----

  /** Stores a send held for quiet hours and audits it. */
  public HeldMessage hold(String messageId, OutboundSms sms, SubmitRequest request, String provider,
      Instant releaseAt) {
    HeldMessage h = new HeldMessage(messageId, request.to(), request.from().map(Originator::key).orElse(null),
        request.body(), sms.provider().orElse(null), sms.purpose(), request.deliveryReport(), request.mediaUrls(),
        sms.attributes(), releaseAt, nextSequence());
    held.hold(h);
    listener.remember(messageId, request.to(), sms.attributes().get(ATTR_CONVERSATION_ID));
    audit(AuditEvent.Type.HELD, clock.instant(), request.to(), h.fromKey(), sms.attributes().get(ATTR_CONVERSATION_ID),
        messageId, "HELD", "quiet hours in " + zoneOf(request.to()) + "; released at " + releaseAt);
    return h;
  }

  // ---- lease-based release (a crash between take and send loses nothing) ----

  /** How long a taken held message is claimed before another gateway may take it again. */
  public static final Duration RELEASE_LEASE = Duration.ofMinutes(5);

  /**
   * Claims and returns the held messages whose window has opened, in release order, for {@link #RELEASE_LEASE}; call
   * {@link #releasedOrFailed} once each send's outcome is known.
   */
  public List<HeldMessage> takeDue(int limit) {
    return held.takeDue(clock.instant(), limit, RELEASE_LEASE);
  }

  /** Deletes a held message whose send's outcome is known (idempotent). */
  public void releasedOrFailed(String messageId) {
    held.remove(messageId);
  }

  // ---- end of lease-based release ----

  /** The held messages, in release order. */
  public List<HeldMessage> held() {
    return held.all();
  }

  /** The send a held message becomes when released (its purpose and tags kept; the window is not checked again). */
  public static OutboundSms toOutboundSms(HeldMessage h) {
    OutboundSms.Builder b = OutboundSms.builder().to(h.to()).body(h.body()).purpose(h.purpose())
        .deliveryReport(h.deliveryReport());
    if (h.fromKey() != null) {
      b.from(Originator.fromKey(h.fromKey()));
    }
    if (h.provider() != null) {
      b.provider(h.provider());
    }
    h.mediaUrls().forEach(b::addMediaUrl);
    h.attributes().forEach(b::attribute);
    return b.build();
  }

  // ---- audit ----

  /** The audit trail. */
  public AuditLog auditLog() {
    return audit;
  }

  /** The gateway listener that audits acceptances, sends, failures and delivery reports (the gateway adds it). */
  public GatewayListener gatewayListener() {
    return listener;
  }

  /** Audits a send refused before it was accepted (opt-out, consent, quiet hours). */
  public void refused(OutboundSms sms, SmsException error) {
    PhoneNumber customer = error instanceof SmsOptedOutException o ? o.recipient()
        : error instanceof SmsComplianceException c ? c.recipient() : null;
    if (customer == null) {
      return; // a validation error: no customer to audit
    }
    audit(AuditEvent.Type.REFUSED, clock.instant(), customer, sms.from().orElse(null),
        sms.attributes().get(ATTR_CONVERSATION_ID), null, refusalCode(error), error.getMessage());
  }

  static String refusalCode(SmsException error) {
    if (error instanceof SmsOptedOutException) {
      return "OPTED_OUT";
    }
    if (error instanceof SmsComplianceException c) {
      return c.rule().name();
    }
    if (error instanceof dev.smsgateway.SmsBudgetExceededException) {
      return "BUDGET";
    }
    return error.getClass().getSimpleName();
  }

  /** Audits a routing decision for an inbound message. */
  public void routed(InboundSms sms, RouteDecision decision, String conversationId) {
    String outcome = decision instanceof RouteDecision.AutoReply r ? "AutoReply " + r.kind()
        : decision.getClass().getSimpleName();
    audit(AuditEvent.Type.ROUTED, sms.receivedAt(), sms.from(), sms.to().key(), conversationId,
        sms.providerMessageId(), outcome, decision.reason());
  }

  void audit(AuditEvent.Type type, Instant at, PhoneNumber customer, String business, String conversationId,
      String messageId, String outcome, String reason) {
    try {
      audit.append(new AuditEvent(nextSequence(), at, type, customer, business, conversationId, messageId, outcome,
          reason));
    } catch (RuntimeException e) {
      // The audit must not take sending down with it; the failure is loud.
      log.error("could not append a {} audit event", type, e);
    }
  }

  /**
   * Writes the events with {@code from <= at < to} as JSON lines, numbers masked unless {@code inClear}; an
   * {@link AuditEvent.Type#EXPORTED} event records who asked, whether in clear, and why. Returns how many lines.
   *
   * @throws SmsValidationException naming {@code reason} when numbers are asked in clear without a reason
   */
  public int exportJsonLines(Instant from, Instant to, Appendable out, String requestedBy, boolean inClear,
      String reason) throws IOException {
    Objects.requireNonNull(out, "out == null");
    Objects.requireNonNull(requestedBy, "requestedBy == null");
    if (inClear && (reason == null || reason.isBlank())) {
      throw new SmsValidationException("reason", "is required to export phone numbers in clear");
    }
    List<AuditEvent> events = audit.between(from, to);
    audit(AuditEvent.Type.EXPORTED, clock.instant(), null, null, null, null, inClear ? "IN_CLEAR" : "MASKED",
        "by " + requestedBy + ": " + events.size() + " events from " + from + " to " + to
            + (reason == null ? "" : "; reason: " + reason));
    for (AuditEvent e : events) {
      out.append(AuditJson.line(e, inClear)).append('\n');
    }
    return events.size();
  }

  // ---- retention ----

  /**
   * Applies the retention policy now: deletes conversations (with transcripts) and message records from the
   * retention store and audit events from the audit log, each older than its period, then audits what it removed
   * (a {@link AuditEvent.Type#PURGED} event, itself subject to the policy next time). Call it from the application's
   * schedule (daily is plenty). Without a policy it removes nothing.
   */
  public RetentionPolicy.Purged applyRetention() {
    if (retention == null) {
      return RetentionPolicy.none();
    }
    Instant now = clock.instant();
    int conversations = retention.transcripts() == null || retentionStore == null ? 0
        : retentionStore.purgeConversationsEndedBefore(now.minus(retention.transcripts()));
    int messages = retention.messages() == null || retentionStore == null ? 0
        : retentionStore.purgeMessagesUpdatedBefore(now.minus(retention.messages()));
    int events = retention.auditEvents() == null ? 0 : audit.purgeBefore(now.minus(retention.auditEvents()));
    RetentionPolicy.Purged purged = new RetentionPolicy.Purged(conversations, messages, events);
    audit(AuditEvent.Type.PURGED, now, null, null, null, null, "RETENTION", purged + " removed by " + retention);
    log.info("retention removed {}", purged);
    return purged;
  }

  /** A sequence that increases in this process and, with the clock, across restarts: max(clock µs, last + 1). */
  long nextSequence() {
    Instant now = clock.instant();
    long micros = Math.multiplyExact(now.getEpochSecond(), 1_000_000L) + now.getNano() / 1_000;
    return lastSequence.updateAndGet(last -> Math.max(micros, last + 1));
  }

  Clock clock() {
    return clock;
  }

  private static String regionOf(PhoneNumber number) {
    try {
      return PhoneNumberUtil.getInstance().getRegionCodeForNumber(PhoneNumberUtil.getInstance().parse(number.e164(),
          "ZZ"));
    } catch (NumberParseException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "Compliance{brands=" + new java.util.TreeSet<>(brandOfNumber.values()) + ", quietHours=" + quietHours.size()
        + ", defaultOptOutScope=" + defaultScope + "}";
  }

  /** Builds {@link Compliance}. Not thread-safe. */
  public static final class Builder {
    private ConsentStore consents;
    private HeldMessageStore held;
    private AuditLog audit;
    private ConversationStore conversations;
    private Clock clock = Clock.systemUTC();
    private RecipientTimeZones timeZones = RecipientTimeZones.libphonenumber();
    private ZoneId defaultZone;
    private final Map<String, String> brandOfNumber = new HashMap<>();
    private final Map<String, QuietHours> quietHours = new LinkedHashMap<>();
    private final Map<String, OptOutScope> scopeByRegion = new HashMap<>(Map.of("US", OptOutScope.BRAND, "CA",
        OptOutScope.BRAND));
    private OptOutScope defaultScope = OptOutScope.GLOBAL;
    private final Map<String, Set<Purpose>> keywordPurposes = new HashMap<>();
    private RetentionPolicy retention;
    private RetentionStore retentionStore;

    private Builder() {}

    /**
     * How long transcripts, message records and audit events are kept ({@link Compliance#applyRetention()} deletes
     * what is older), and the store that deletes conversations and message records (null when the policy keeps
     * both). Default: keep everything.
     *
     * @throws SmsConfigurationException if the policy limits transcripts or messages but no store is given
     */
    public Builder retention(RetentionPolicy policy, RetentionStore store) {
      Objects.requireNonNull(policy, "policy == null");
      if (store == null && (policy.transcripts() != null || policy.messages() != null)) {
        throw new SmsConfigurationException("a retention policy for transcripts or messages needs a RetentionStore"
            + " (JdbcStores.retentionStore(), DynamoDbStores.retentionStore(), InMemoryRetentionStore)");
      }
      this.retention = policy;
      this.retentionStore = store;
      return this;
    }

    /** Where consent is recorded. Required. */
    public Builder consentStore(ConsentStore consents) {
      this.consents = Objects.requireNonNull(consents, "consentStore == null");
      return this;
    }

    /** Where quiet hours hold messages. Default in memory (lost on restart: use the JDBC or DynamoDB store). */
    public Builder heldMessageStore(HeldMessageStore held) {
      this.held = Objects.requireNonNull(held, "heldMessageStore == null");
      return this;
    }

    /** Where the audit trail is appended. Default in memory. */
    public Builder auditLog(AuditLog audit) {
      this.audit = Objects.requireNonNull(audit, "auditLog == null");
      return this;
    }

    /** The conversations, to exempt agents' replies from quiet hours. Default none (no reply is exempt). */
    public Builder conversationStore(ConversationStore conversations) {
      this.conversations = Objects.requireNonNull(conversations, "conversationStore == null");
      return this;
    }

    /** The clock for windows and record times. Default UTC system clock; use the gateway's. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** How a recipient's zone is found. Default {@link RecipientTimeZones#libphonenumber()}. */
    public Builder recipientTimeZones(RecipientTimeZones timeZones) {
      this.timeZones = Objects.requireNonNull(timeZones, "recipientTimeZones == null");
      return this;
    }

    /** The zone of recipients whose number gives none, or several. Required when quiet hours are configured. */
    public Builder defaultZone(ZoneId defaultZone) {
      this.defaultZone = Objects.requireNonNull(defaultZone, "defaultZone == null");
      return this;
    }

    /**
     * Groups business numbers into a brand: consent and opt-outs recorded for the brand hold for each of its numbers.
     *
     * @throws SmsValidationException naming {@code brand} when a number already belongs to another brand
     */
    public Builder brand(String brand, String... businessNumbers) {
      ConsentScopes.brand(brand);
      for (String n : businessNumbers) {
        String key = Originator.parse(n, null).key();
        String before = brandOfNumber.putIfAbsent(key, brand.strip());
        if (before != null && !before.equals(brand.strip())) {
          throw new SmsValidationException("brand", "number " + Originator.parse(n, null) + " already belongs to brand "
              + before);
        }
      }
      return this;
    }

    /** Quiet hours for one business number (they take precedence over its brand's). */
    public Builder quietHours(String businessNumber, QuietHours window) {
      quietHours.put(ConsentScopes.number(Originator.parse(businessNumber, null)),
          Objects.requireNonNull(window, "quietHours == null"));
      return this;
    }

    /** Quiet hours for every number of a brand. */
    public Builder brandQuietHours(String brand, QuietHours window) {
      quietHours.put(ConsentScopes.brand(brand), Objects.requireNonNull(window, "quietHours == null"));
      return this;
    }

    /**
     * The reach of an opt-out by customers of a country (ISO 3166-1 alpha-2). Built in: US and CA
     * {@link OptOutScope#BRAND}.
     */
    public Builder optOutScope(String region, OptOutScope scope) {
      Objects.requireNonNull(region, "region == null");
      if (!region.matches("[A-Za-z]{2}")) {
        throw new SmsValidationException("optOutScope.region", "must be an ISO 3166-1 alpha-2 code: '" + region + "'");
      }
      scopeByRegion.put(region.toUpperCase(Locale.ROOT), Objects.requireNonNull(scope, "scope == null"));
      return this;
    }

    /** The reach of an opt-out in countries not configured. Default {@link OptOutScope#GLOBAL}. */
    public Builder defaultOptOutScope(OptOutScope scope) {
      this.defaultScope = Objects.requireNonNull(scope, "scope == null");
      return this;
    }

    /**
     * The purposes an opt-in keyword grants (upper case, as the keyword classifier reports it; add the keyword to the
     * routing engine's {@code KeywordClassifier} as an opt-in). START and UNSTOP grant every purpose unless set here.
     */
    public Builder keywordConsent(String keyword, Purpose first, Purpose... more) {
      Objects.requireNonNull(keyword, "keyword == null");
      keywordPurposes.put(keyword.strip().toUpperCase(Locale.ROOT).replace(" ", ""), EnumSet.of(first, more));
      return this;
    }

    /**
     * Builds the engine.
     *
     * @throws SmsConfigurationException without a consent store, or with quiet hours but no default zone
     */
    public Compliance build() {
      if (consents == null) {
        throw new SmsConfigurationException("Compliance needs a consentStore");
      }
      if (!quietHours.isEmpty() && defaultZone == null) {
        throw new SmsConfigurationException("Compliance has quiet hours but no defaultZone: set the zone of recipients"
            + " whose number gives no single time zone");
      }
      if (held == null) {
        held = new InMemoryHeldMessageStore();
      }
      if (audit == null) {
        audit = new InMemoryAuditLog();
      }
      if (defaultZone == null) {
        defaultZone = java.time.ZoneOffset.UTC;
      }
      return new Compliance(this);
    }
  }
}
