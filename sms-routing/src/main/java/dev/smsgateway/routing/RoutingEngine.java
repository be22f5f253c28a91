package dev.smsgateway.routing;

import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.ConversationRouter;
import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;

// At ~600 lines with its public Builder (~95 lines); the decision log lives in DecisionLog, keyword rules in
// KeywordClassifier, the store's one-call join in ConversationStore.joinOpen.
/**
 * The {@link ConversationRouter} of sms-gateway. For each inbound message, in this order:
 *
 * <ol>
 *   <li>Opt-out, opt-in and help keywords ({@link KeywordClassifier}): an opt-out or opt-in is written to the
 *       {@link OptOutStore} before the decision is returned, so that the confirmation (sent by whoever handles the
 *       decision) only ever confirms a stored opt-out. The reply is null when the provider answers keywords itself
 *       ({@link RoutingConfiguration#providerAnswersKeywords}).
 *   <li>The number's, then the mapping's custom keywords, with their canned reply.
 *   <li>An open conversation for (customer, business number): the same target; but when that target is an agent the
 *       {@link AgentDirectory} says is offline, the number's queue at once (the conversation and its transcript move
 *       there; a system line records why).
 *   <li>An originator record within its TTL: the originating agent, with the original outbound text as the whisper;
 *       the number's target when the {@link AgentDirectory} says the agent is offline. For contact-flow mappings,
 *       the flow, with the originating agent in the attributes.
 *   <li>The business number's queue or contact flow.
 *   <li>Otherwise {@link RouteDecision.Unrouted} (no mapping holds the business number).
 * </ol>
 *
 * <p>Steps 3 to 5 open the conversation if needed (in the {@link ConversationStore}), mark its activity and append the
 * message to its transcript; the decision carries the conversation id. A conversation opened by an originator record
 * first gets the agent's original outbound message, as a {@link TranscriptEntry.Direction#WHISPER} line with the
 * original's time, agent and message id. Every decision is logged at INFO on the
 * {@code dev.smsgateway.routing.RoutingEngine} logger with masked numbers and its reason; texts are never logged.
 *
 * <p>Messages from the same customer to the same business number are routed one at a time (a striped lock), so a
 * conversation's transcript keeps the order in which messages were routed and two racing first messages open one
 * conversation.
 *
 * <p>Thread-safe. Never returns null and never throws for unknown or odd input; store failures propagate, so that the
 * provider is told the message was not taken and delivers it again.
 */
public final class RoutingEngine implements ConversationRouter {

  private static final int UPDATE_ATTEMPTS = 8;

  /** Contact attribute names given to contact flows (Amazon Connect: {@code $.Attributes.customerNumber}). */
  public static final String ATTR_CUSTOMER_NUMBER = "customerNumber";
  /** The business number the customer wrote to. */
  public static final String ATTR_BUSINESS_NUMBER = "businessNumber";
  /** The business number's display name. */
  public static final String ATTR_BUSINESS_NAME = "businessDisplayName";
  /** The mapping's code. */
  public static final String ATTR_MAPPING = "mappingCode";
  /** Our conversation id. */
  public static final String ATTR_CONVERSATION_ID = "conversationId";
  /** The agent who originated the conversation, when an originator record is live. */
  public static final String ATTR_ORIGINATING_AGENT = "originatingAgentId";
  /** The text that agent sent. */
  public static final String ATTR_ORIGINAL_TEXT = "originalOutboundText";

  private volatile RoutingConfiguration configuration;
  private final OriginatorStore originators;
  private final OptOutStore optOuts;
  private final ConversationStore conversations;
  private final AgentDirectory agents;
  private final KeywordClassifier classifier;
  private final Clock clock;
  private final Supplier<String> ids;
  private final PairLocks locks = new PairLocks();
  private final PendingOpens opens = new PendingOpens();
  private final dev.smsgateway.compliance.Compliance compliance; // ---- compliance: consent by keyword, audit ----

  private RoutingEngine(Builder b) {
    this.configuration = b.configuration;
    this.originators = b.originators;
    this.optOuts = b.optOuts;
    this.conversations = b.conversations;
    this.agents = b.agents;
    this.classifier = b.classifier;
    this.clock = b.clock;
    this.ids = b.ids;
    this.compliance = b.compliance;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configuration it routes by now. */
  public RoutingConfiguration configuration() {
    return configuration;
  }

  /** Routes by {@code next} from now on (the {@link ConversationService} checks it first). */
  void replace(RoutingConfiguration next) {
    this.configuration = next;
  }

  /**
   * Joins a reply to an open conversation through {@link ConversationStore#joinOpen}: the decision for an agent or
   * queue target, or null (the store then changes nothing) when the full path must decide: a contact flow (its
   * attributes need the originator record) or an agent the directory says is offline (the conversation moves).
   * Made once.
   */
  private final BiFunction<String, RouteTarget, RouteDecision> joiner = this::join;

  private RouteDecision join(String id, RouteTarget target) {
    if (target instanceof RouteTarget.Agent a) {
      return agents.presence(a.agentId()) == Presence.OFFLINE ? null
          : new RouteDecision.ToAgent(a.agentId(), id, null, JOINED);
    }
    if (target instanceof RouteTarget.Queue q) {
      return new RouteDecision.ToQueue(q.queueCode(), id, JOINED);
    }
    return null;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The same decision {@link ConversationService} gets; as only the decision is returned, a reply into an open
   * conversation with an agent or queue target is joined with one {@link ConversationStore#joinOpen} call, which
   * builds no {@link Conversation}. While an agent's opening of a conversation with the same customer and business
   * number is being written (a store that answers later), the decision waits for it, so that it sees the conversation
   * and its agent.
   */
  @Override
  public RouteDecision route(InboundSms sms) {
    Objects.requireNonNull(sms, "sms == null");
    if (compliance != null) { // the audit records each decision with its conversation: the full path
      return routeDetailed(sms).decision();
    }
    ReentrantLock lock = lockForDecision(sms.from(), sms.to());
    try {
      RouteDecision decision = decideLean(sms);
      DecisionLog.log(sms, decision);
      return decision;
    } finally {
      lock.unlock();
    }
  }

  /** Steps 1 and 2, then step 3 through {@link #joiner} when it applies; otherwise {@link #decide}. */
  private RouteDecision decideLean(InboundSms sms) {
    RoutingConfiguration configuration = this.configuration; // one configuration per decision, even while replaced
    Instant now = clock.instant();
    String text = sms.body();
    if (classifier.classify(text).isPresent()) {
      return decide(sms, configuration, now, false).decision();
    }
    RoutingConfiguration.Route route = configuration.route(sms.to());
    if (route != null && text.length() <= 64
        && customKeyword(text, route.number().keywords(), route.mapping().keywords()) != null) {
      return decide(sms, configuration, now, false).decision();
    }
    RouteDecision joined = conversations.joinOpen(sms.from(), sms.to(), now, sms.receivedAt(),
        TranscriptEntry.Direction.INBOUND, CUSTOMER, text, sms.providerMessageId(), joiner);
    return joined != null ? joined : decide(sms, configuration, now, true).decision();
  }

  /** What happened while routing, for {@link ConversationService}. */
  record Routed(RouteDecision decision, InboundSms sms, Optional<Mapping> mapping, Conversation conversation,
      boolean opened, boolean viaOriginator, boolean requeued) {

    Routed(RouteDecision decision, InboundSms sms, Optional<Mapping> mapping, Conversation conversation,
        boolean opened, boolean viaOriginator) {
      this(decision, sms, mapping, conversation, opened, viaOriginator, false);
    }
  }

  ReentrantLock lockFor(PhoneNumber customer, Originator business) {
    return locks.lockFor(customer, business);
  }

  /** The agents' openings in flight, which a routing decision for their pair waits for (see {@link PendingOpens}). */
  PendingOpens opens() {
    return opens;
  }

  /** The pair's lock, locked for a routing decision: after the pair's openings in flight (see {@link PendingOpens}). */
  ReentrantLock lockForDecision(PhoneNumber customer, Originator business) {
    ReentrantLock lock = locks.lockFor(customer, business);
    opens.lockForDecision(lock, customer, business);
    return lock;
  }

  Routed routeDetailed(InboundSms sms) {
    Objects.requireNonNull(sms, "sms == null");
    ReentrantLock lock = lockForDecision(sms.from(), sms.to());
    try {
      RoutingConfiguration configuration = this.configuration; // one per decision, even while replaced
      Routed routed = decide(sms, configuration, clock.instant(), false);
      DecisionLog.log(sms, routed.decision());
      if (compliance != null) { // ---- compliance: every decision audited with its reason ----
        compliance.routed(sms, routed.decision(), routed.conversation() == null ? null : routed.conversation().id());
      }
      return routed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The decision by {@code configuration} at {@code now}; {@code keywordsChecked}: steps 1 and 2 found no keyword
   * already, so they are skipped.
   */
  private Routed decide(InboundSms sms, RoutingConfiguration configuration, Instant now, boolean keywordsChecked) {
    PhoneNumber customer = sms.from();
    Originator business = sms.to();
    RoutingConfiguration.Route route = configuration.route(business);
    Optional<Mapping> mapping = route == null ? Optional.empty() : route.mappingIfAny();
    Optional<BusinessNumber> number = route == null ? Optional.empty() : route.numberIfAny();
    String text = sms.body();

    // 1. Opt-out, opt-in, help.
    Optional<KeywordClassifier.Match> keyword = keywordsChecked ? Optional.empty() : classifier.classify(text);
    if (keyword.isPresent()) {
      KeywordClassifier.Match match = keyword.get();
      boolean answered = configuration.providerAnswersKeywords(sms.provider());
      switch (match.kind()) {
        case OPT_OUT -> {
          // Persisted before anything else happens: the confirmation must only confirm a stored opt-out. With a
          // compliance engine the opt-out reaches the customer's configured scope; only a global one is recorded in
          // the opt-out store.
          if (compliance == null || compliance.keywordOptOut(customer, business, match.keyword(),
              sms.providerMessageId(), sms.receivedAt())) {
            optOuts.record(new OptOutRecord(customer, true, match.keyword(), business.key(), sms.receivedAt()));
          }
          String reply = answered ? null : mapping.map(Mapping::optOutReply).orElse(DEFAULT_OPT_OUT_REPLY);
          return keywordDecision(sms, mapping, now, RouteDecision.AutoReply.Kind.OPT_OUT, match.keyword(), reply,
              "opt-out keyword " + match.keyword() + " recorded" + (answered ? "; provider " + sms.provider()
                  + " answers keywords itself" : ""));
        }
        case OPT_IN -> {
          if (!match.onlyWhenOptedOut() || optOuts.isOptedOut(customer)) {
            if (compliance == null || compliance.keywordOptIn(customer, business, match.keyword(),
                sms.providerMessageId(), sms.receivedAt())) {
              optOuts.record(new OptOutRecord(customer, false, match.keyword(), business.key(), sms.receivedAt()));
            }
            String reply = answered ? null : mapping.map(Mapping::optInReply).orElse(DEFAULT_OPT_IN_REPLY);
            return keywordDecision(sms, mapping, now, RouteDecision.AutoReply.Kind.OPT_IN, match.keyword(), reply,
                "opt-in keyword " + match.keyword() + " recorded" + (answered ? "; provider " + sms.provider()
                    + " answers keywords itself" : ""));
          }
        }
        case HELP -> {
          String reply = answered ? null : mapping.map(Mapping::helpReply).orElse(DEFAULT_HELP_REPLY);
          return keywordDecision(sms, mapping, now, RouteDecision.AutoReply.Kind.HELP, match.keyword(), reply,
              "help keyword " + match.keyword() + (answered ? "; provider " + sms.provider()
                  + " answers keywords itself" : ""));
        }
      }
    }

    // 2. Custom keywords: the number's first, then the mapping's.
    if (!keywordsChecked && mapping.isPresent() && number.isPresent() && text.length() <= 64) {
      KeywordRule rule = customKeyword(text, number.get().keywords(), mapping.get().keywords());
      if (rule != null) {
        return keywordDecision(sms, mapping, now, RouteDecision.AutoReply.Kind.KEYWORD, rule.normalizedKeyword(),
            rule.reply(), "custom keyword " + rule.normalizedKeyword() + " of mapping " + mapping.get().code());
      }
    }

    // 3. An open conversation.
    Optional<Conversation> open = conversations.findOpen(customer, business);
    if (open.isPresent()) {
      Routed requeued = requeueFromOfflineAgent(open.get(), sms, mapping, number, now);
      if (requeued != null) {
        return requeued;
      }
      Conversation c = touchAndRecord(open.get(), sms, now);
      return new Routed(toTarget(c, number, null, JOINED), sms, mapping, c, false, false);
    }
    if (mapping.isEmpty() || number.isEmpty()) {
      return new Routed(new RouteDecision.Unrouted("no mapping holds business number " + business), sms, mapping,
          null, false, false);
    }
    Mapping m = mapping.get();

    // 4. An originator record within its TTL.
    Optional<OriginatorRecord> record = originators.find(customer, business);
    if (record.isPresent() && record.get().isLiveAt(now)) {
      OriginatorRecord r = record.get();
      if (m.delivery() == Delivery.CONTACT_FLOW) {
        return open(sms, route, route.target(), now, r, "originator record within TTL (agent " + r.agentId()
            + "); contact flow decides");
      }
      Presence presence = agents.presence(r.agentId());
      if (presence != Presence.OFFLINE) {
        AgentRoute to = agentRoute(r.agentId());
        return open(sms, route, to.target(), now, r, to.reason());
      }
      return open(sms, route, route.target(), now, r, "originator record within TTL but agent " + r.agentId()
          + " is offline; number's " + describe(route.target()));
    }

    // 5. The business number's queue or contact flow (target and reason made once per configuration).
    return open(sms, route, route.target(), now, null, route.openingReason());
  }

  /**
   * A reply into an open conversation whose agent went {@link Presence#OFFLINE}: the conversation (its transcript
   * with it) moves to the number's queue at once, as an originator record of an offline agent would route it.
   */
  private Routed requeueFromOfflineAgent(Conversation c, InboundSms sms, Optional<Mapping> mapping,
      Optional<BusinessNumber> number, Instant now) {
    if (!(c.target() instanceof RouteTarget.Agent a) || number.isEmpty()
        || !(number.get().target() instanceof RouteTarget.Queue queue)
        || agents.presence(a.agentId()) != Presence.OFFLINE) {
      return null;
    }
    Conversation current = c;
    for (int i = 0; i < UPDATE_ATTEMPTS; i++) {
      if (!current.isOpen() || !current.target().equals(a)) {
        return null;
      }
      Conversation queued = current.queuedAt(queue, now.isAfter(current.lastActivityAt()) ? now
          : current.lastActivityAt());
      if (conversations.update(queued)) {
        conversations.append(new TranscriptEntry(c.id(), now, TranscriptEntry.Direction.SYSTEM, "system",
            "Agent " + a.agentId() + " is offline; moved to " + queue.key(), null));
        append(queued, sms);
        return new Routed(new RouteDecision.ToQueue(queue.queueCode(), c.id(), "open conversation but agent "
            + a.agentId() + " is offline; number's " + describe(queue)), sms, mapping, queued, false, false, true);
      }
      Optional<Conversation> reread = conversations.find(current.id());
      if (reread.isEmpty()) {
        return null;
      }
      current = reread.get();
    }
    return null;
  }

  private Routed open(InboundSms sms, RoutingConfiguration.Route route, RouteTarget target, Instant now,
      OriginatorRecord record, String reason) {
    Mapping m = route.mapping();
    Conversation candidate = Conversation.open(ids.get(), sms.from(), sms.to(), m.code(), target, now);
    Conversation c = conversations.openIfAbsent(candidate);
    boolean opened = c.id().equals(candidate.id());
    if (!opened) {
      // Another instance opened one first: join it, as step 3 would have.
      c = touchAndRecord(c, sms, now);
      return new Routed(toTarget(c, route.numberIfAny(), null, JOINED), sms, route.mappingIfAny(), c, false, false);
    }
    if (record != null && record.outboundText() != null) {
      // The whisper: what the customer is answering, for reporting and for whoever handles the conversation.
      conversations.append(new TranscriptEntry(c.id(), record.createdAt(), TranscriptEntry.Direction.WHISPER,
          record.agentId(), record.outboundText(), record.messageId()));
    }
    append(c, sms);
    return new Routed(toTarget(c, route.numberIfAny(), record, reason), sms, route.mappingIfAny(), c, true,
        record != null);
  }

  private RouteDecision toTarget(Conversation c, Optional<BusinessNumber> number, OriginatorRecord record,
      String reason) {
    RouteTarget target = c.target();
    if (target instanceof RouteTarget.Agent a) {
      return new RouteDecision.ToAgent(a.agentId(), c.id(), record == null ? null : record.outboundText(), reason);
    }
    if (target instanceof RouteTarget.Queue q) {
      return new RouteDecision.ToQueue(q.queueCode(), c.id(), reason);
    }
    RouteTarget.ContactFlow flow = (RouteTarget.ContactFlow) target;
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(ATTR_CUSTOMER_NUMBER, c.customer().e164());
    attributes.put(ATTR_BUSINESS_NUMBER, c.business().address());
    number.ifPresent(n -> attributes.put(ATTR_BUSINESS_NAME, n.displayName()));
    if (c.mappingCode() != null) {
      attributes.put(ATTR_MAPPING, c.mappingCode());
    }
    attributes.put(ATTR_CONVERSATION_ID, c.id());
    OriginatorRecord r = record != null ? record
        : originators.find(c.customer(), c.business()).filter(x -> x.isLiveAt(clock.instant())).orElse(null);
    if (r != null) {
      attributes.put(ATTR_ORIGINATING_AGENT, r.agentId());
      if (r.outboundText() != null) {
        attributes.put(ATTR_ORIGINAL_TEXT, r.outboundText());
      }
    }
    return new RouteDecision.ToContactFlow(flow.contactFlowId(), c.id(), attributes, reason);
  }

  private Routed keywordDecision(InboundSms sms, Optional<Mapping> mapping, Instant now,
      RouteDecision.AutoReply.Kind kind, String keyword, String reply, String reason) {
    // Keep the transcript complete: a keyword sent inside an open conversation is part of it.
    Conversation c = conversations.findOpen(sms.from(), sms.to()).map(open -> touchAndRecord(open, sms, now))
        .orElse(null);
    return new Routed(new RouteDecision.AutoReply(kind, keyword, reply, reason), sms, mapping, c, false, false);
  }

  private static KeywordRule customKeyword(String text, List<KeywordRule> numberRules, List<KeywordRule> mappingRules) {
    if (numberRules.isEmpty() && mappingRules.isEmpty()) {
      return null;
    }
    String key = KeywordClassifier.compact(text);
    for (KeywordRule r : numberRules) {
      if (r.normalizedKeyword().equals(key)) {
        return r;
      }
    }
    for (KeywordRule r : mappingRules) {
      if (r.normalizedKeyword().equals(key)) {
        return r;
      }
    }
    return null;
  }

  /**
   * The touch and the line in one store write ({@link ConversationStore#updateAndAppend}); when the touch keeps losing
   * to other writers, or the conversation ended or is gone, the line is still appended to the conversation last found.
   */
  private Conversation touchAndRecord(Conversation c, InboundSms sms, Instant now) {
    TranscriptEntry line = line(c, sms);
    Conversation current = c;
    for (int i = 0; i < UPDATE_ATTEMPTS; i++) {
      if (!current.isOpen()) {
        break;
      }
      Conversation touched = current.touched(now.isAfter(current.lastActivityAt()) ? now : current.lastActivityAt());
      if (conversations.updateAndAppend(touched, line)) {
        return touched;
      }
      Optional<Conversation> reread = conversations.find(current.id());
      if (reread.isEmpty()) {
        break;
      }
      current = reread.get();
    }
    conversations.append(line);
    return current;
  }

  private void append(Conversation c, InboundSms sms) {
    conversations.append(line(c, sms));
  }

  private static TranscriptEntry line(Conversation c, InboundSms sms) {
    return new TranscriptEntry(c.id(), sms.receivedAt(), TranscriptEntry.Direction.INBOUND, CUSTOMER, sms.body(),
        sms.providerMessageId());
  }

  /** An agent's target and the reason of an opening by its originator record, made once per agent. */
  private record AgentRoute(RouteTarget.Agent target, String reason) {}

  private static final int AGENT_ROUTES = 4096;
  private final java.util.concurrent.ConcurrentHashMap<String, AgentRoute> agentRoutes =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * {@code agentId}'s target and opening reason: an opening by an originator record would otherwise build both (a
   * target kept in the conversation, a reason string) every time. At most {@value #AGENT_ROUTES} agents are kept;
   * beyond that they are built per opening.
   */
  private AgentRoute agentRoute(String agentId) {
    AgentRoute known = agentRoutes.get(agentId);
    if (known != null) {
      return known;
    }
    AgentRoute made = new AgentRoute(new RouteTarget.Agent(agentId), "originator record within TTL (agent " + agentId
        + ")");
    if (agentRoutes.size() < AGENT_ROUTES) {
      agentRoutes.putIfAbsent(agentId, made);
    }
    return made;
  }

  /** The author of a customer's transcript lines. */
  private static final String CUSTOMER = "customer";

  /**
   * The reason for joining an open conversation. A constant: the decision carries the conversation id and the target,
   * and the log line prints them (formatted only when it is written), so routing reads neither string.
   */
  static final String JOINED = "open conversation";

  static String describe(RouteTarget target) {
    if (target instanceof RouteTarget.Agent a) {
      return "agent " + a.agentId();
    }
    if (target instanceof RouteTarget.Queue q) {
      return "queue " + q.queueCode();
    }
    return "contact flow " + ((RouteTarget.ContactFlow) target).contactFlowId();
  }

  static final String DEFAULT_OPT_OUT_REPLY = "You are unsubscribed and will receive no further messages. Reply START to resubscribe.";
  static final String DEFAULT_OPT_IN_REPLY = "You are resubscribed. Reply STOP to unsubscribe, HELP for help.";
  static final String DEFAULT_HELP_REPLY = "Reply STOP to unsubscribe. Msg & data rates may apply.";

  static String randomId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    // A version-4 layout UUID; conversation ids are not secrets, so ThreadLocalRandom (no SecureRandom contention).
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(hi, lo).toString();
  }

  /** Builds a {@link RoutingEngine}. Not thread-safe. */
  public static final class Builder {
    private RoutingConfiguration configuration;
    private OriginatorStore originators;
    private OptOutStore optOuts;
    private ConversationStore conversations;
    private AgentDirectory agents = AgentDirectory.ALL_AVAILABLE;
    private KeywordClassifier classifier = KeywordClassifier.standard();
    private Clock clock = Clock.systemUTC();
    private Supplier<String> ids = RoutingEngine::randomId;
    private dev.smsgateway.compliance.Compliance compliance;

    private Builder() {}

    /**
     * The compliance engine: opt-out and opt-in keywords record consent in the customer's opt-out scope (only a
     * global one goes to the opt-out store), and every decision is audited with its reason. Default none.
     */
    public Builder compliance(dev.smsgateway.compliance.Compliance compliance) {
      this.compliance = Objects.requireNonNull(compliance, "compliance == null");
      return this;
    }

    /** {@link #compliance}, or none when null (for builders that pass theirs through). */
    Builder complianceOrNone(dev.smsgateway.compliance.Compliance compliance) {
      this.compliance = compliance;
      return this;
    }

    /** The mappings. Required. */
    public Builder configuration(RoutingConfiguration configuration) {
      this.configuration = Objects.requireNonNull(configuration, "configuration == null");
      return this;
    }

    /** Where originator records are. Required. */
    public Builder originatorStore(OriginatorStore originators) {
      this.originators = Objects.requireNonNull(originators, "originatorStore == null");
      return this;
    }

    /** Where opt-outs are recorded. Required; share it with the {@code SmsGateway}. */
    public Builder optOutStore(OptOutStore optOuts) {
      this.optOuts = Objects.requireNonNull(optOuts, "optOutStore == null");
      return this;
    }

    /** Where conversations and transcripts are. Required. */
    public Builder conversationStore(ConversationStore conversations) {
      this.conversations = Objects.requireNonNull(conversations, "conversationStore == null");
      return this;
    }

    /** Agents' presence. Default {@link AgentDirectory#ALL_AVAILABLE}. */
    public Builder agentDirectory(AgentDirectory agents) {
      this.agents = Objects.requireNonNull(agents, "agentDirectory == null");
      return this;
    }

    /** The opt-out, opt-in and help keywords. Default {@link KeywordClassifier#standard()}. */
    public Builder keywordClassifier(KeywordClassifier classifier) {
      this.classifier = Objects.requireNonNull(classifier, "keywordClassifier == null");
      return this;
    }

    /** The clock for TTL checks and activity times; use the stores' clock. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Conversation ids. Default random UUIDs. */
    public Builder idGenerator(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "idGenerator == null");
      return this;
    }

    /**
     * Builds the engine.
     *
     * @throws dev.smsgateway.SmsConfigurationException naming a missing store or configuration
     */
    public RoutingEngine build() {
      require(configuration, "configuration");
      require(originators, "originatorStore");
      require(optOuts, "optOutStore");
      require(conversations, "conversationStore");
      return new RoutingEngine(this);
    }

    private static void require(Object o, String name) {
      if (o == null) {
        throw new dev.smsgateway.SmsConfigurationException("RoutingEngine needs a " + name);
      }
    }
  }
}
