package dev.smsgateway.routing;

import dev.smsgateway.GatewayListener;
import dev.smsgateway.InboundHandler;
import dev.smsgateway.InboundSms;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Past 600 lines, knowingly for now: sweeps, originations, provider names, message links, agent state, contact-flow
// chats and reconfiguration already live in package-private classes; what remains (agents and assignment, lifecycle
// and chat control, event fan-out) splits when agent state moves into a store shared by several instances.
/**
 * Two-way conversations between agents and customers: agent-originated outbound messages, routing of replies (through
 * a {@link RoutingEngine} it owns), skill queues with presence and capacity, idle timeouts, system messages, the
 * transcript, and events to the application.
 *
 * <pre>{@code
 * ConversationService conversations = ConversationService.builder()
 *     .configuration(RoutingConfiguration.load(Path.of("routing.yaml")))
 *     .originatorStore(originators).optOutStore(optOuts).conversationStore(store)
 *     .clock(clock)
 *     .listener(myListener)
 *     .build();
 * SmsGateway gateway = SmsGateway.builder().provider(smpp).optOutStore(optOuts)
 *     .inboundHandler(conversations).listener(conversations.gatewayListener()).build();
 * conversations.bind(gateway);                  // checks the mappings' providers
 * gateway.start();
 *
 * conversations.registerAgent("alice", 3, Set.of("sales"));
 * conversations.setPresence("alice", Presence.AVAILABLE);
 * conversations.startOutbound("alice", "+14155550100", "(415) 555-0123", "Your table is ready", "order-42");
 * }</pre>
 *
 * <p><b>Queues.</b> A conversation routed to a queue is assigned to the available agent (presence
 * {@link Presence#AVAILABLE}, serving that queue, below capacity) who has been idle longest: whose last assignment,
 * last ended conversation or last change to available is oldest. When nobody has capacity the customer gets the
 * mapping's maximum-chats message (unless system messages are suppressed) and the conversation waits, oldest first,
 * until capacity frees: when a conversation ends or is released, an agent becomes available or is registered, or on
 * {@link #sweep()}. Waiting is announced ({@link ConversationListener#onQueued}) and visible ({@link #monitor()}).
 *
 * <p><b>Configuration</b> can be replaced while the service runs ({@link #reconfigure}).
 *
 * <p><b>Time.</b> Idle timeouts and accept timeouts are driven by the {@link Clock} and applied by {@link #sweep()},
 * which the service runs by itself on its own daemon thread (period: {@link Builder#sweepPeriod}) until
 * {@link #close()}; an application with its own scheduler uses {@link #scheduleSweeps} instead, and one that sweeps
 * by hand turns them off ({@link Builder#automaticSweeps}). Nothing here sleeps.
 *
 * <p><b>Multiple instances.</b> Conversations, originator records and opt-outs live in the stores, so several
 * instances can share them; agent presence and capacity are kept in this instance's memory.
 *
 * <p>Thread-safe.
 */
public final class ConversationService implements InboundHandler, AgentDirectory, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
  private static final String SYSTEM = "system";
  private static final String CUSTOMER = "customer";
  private static final int UPDATE_ATTEMPTS = 8;
  private static final int IDLE_BATCH = 500;

  private volatile RoutingConfiguration configuration;
  private final RoutingEngine engine;
  private final OriginatorStore originators;
  private final OptOutStore optOuts;
  private final ConversationStore conversations;
  private final Clock clock;
  private final ContactFlowDelivery contactFlows;
  private final ContactFlowChats flowChats;
  private final List<ConversationListener> listeners;
  private final Map<String, AgentState> agents = new ConcurrentHashMap<>();
  private final Map<String, Offer> offers = new ConcurrentHashMap<>();
  private final ReentrantLock assignment = new ReentrantLock();
  private final MessageLinks links =
      new MessageLinks((id, report, merged) -> emit(l -> l.onDeliveryReport(id, report, merged)));
  private final Originations originations;
  private final ConversationMonitor monitor;
  private final SweepScheduler sweeps = new SweepScheduler(this::sweep);
  private final boolean fixedSweepPeriod;
  private volatile MessageSender sender;
  private volatile java.util.Set<String> providerNames;

  private ConversationService(Builder b) {
    this.configuration = b.configuration;
    this.originators = b.originators;
    this.optOuts = b.optOuts;
    this.conversations = b.conversations;
    this.clock = b.clock;
    this.contactFlows = b.contactFlows;
    this.flowChats = new ContactFlowChats(b.contactFlows);
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    this.sender = b.sender;
    this.originations = new Originations(b.originators, b.clock);
    this.monitor = new ConversationMonitor(b.conversations, agents, () -> configuration, b.clock);
    this.providerNames = b.providerNames;
    this.engine = RoutingEngine.builder()
        .configuration(b.configuration)
        .originatorStore(b.originators)
        .optOutStore(b.optOuts)
        .conversationStore(b.conversations)
        .agentDirectory(this)
        .keywordClassifier(b.classifier)
        .clock(b.clock)
        .idGenerator(b.ids)
        .complianceOrNone(b.compliance) // ---- compliance ----
        .build();
    this.fixedSweepPeriod = b.sweepPeriod != null;
    if (b.automaticSweeps) {
      sweeps.start(fixedSweepPeriod ? b.sweepPeriod : SweepScheduler.periodFor(b.configuration));
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Gives the service the sender it sends through, usually {@code gateway::send}. Needed once, before the first
   * message; the gateway itself needs the service as its {@link InboundHandler}, hence this second step.
   */
  public void bind(MessageSender sender) {
    this.sender = Objects.requireNonNull(sender, "sender == null");
  }

  /**
   * Binds the service to its gateway: checks that every mapping names one of the gateway's providers, then sends
   * through {@code gateway::send}. Prefer it to {@link #bind(MessageSender)}: a misspelt provider fails here, before
   * the first message.
   *
   * @throws SmsConfigurationException naming the mapping whose provider the gateway does not have
   */
  public void bind(dev.smsgateway.SmsGateway gateway) {
    Objects.requireNonNull(gateway, "gateway == null");
    ProviderNames.check(configuration, gateway.providerNames());
    this.providerNames = java.util.Set.copyOf(gateway.providerNames());
    this.sender = gateway::send;
  }

  /** Queues, agents and open conversations now: what an agent desktop or a supervisor view shows. */
  public ConversationMonitor monitor() {
    return monitor;
  }

  /**
   * Replaces the routing configuration while the service runs. {@code next} is checked as a whole first, as
   * {@link Builder#build()} checks (contact flows need a {@link ContactFlowDelivery}; with the gateway bound or
   * {@link Builder#providerNames} given, every mapping names one of its providers); if it fails, the configuration in
   * force stays and the exception says why. Open conversations keep their target (agent, queue or contact flow);
   * messages routed from now on, new conversations, timeouts and system messages follow {@code next}.
   *
   * @throws SmsConfigurationException when {@code next} cannot serve this service; nothing changed
   */
  public void reconfigure(RoutingConfiguration next) {
    Objects.requireNonNull(next, "configuration == null");
    Reconfiguration.check(next, contactFlows, providerNames);
    RoutingConfiguration previous;
    synchronized (sweeps) {
      previous = configuration;
      engine.replace(next);
      configuration = next;
      if (!fixedSweepPeriod) {
        sweeps.adjust(SweepScheduler.periodFor(next));
      }
    }
    log.info("routing configuration replaced: {}", Reconfiguration.describe(previous, next));
  }

  /** The router the service routes with (for applications that want decisions without the service). */
  public RoutingEngine router() {
    return engine;
  }

  /** The listener to register with the {@link dev.smsgateway.SmsGateway}: it correlates delivery reports. */
  public GatewayListener gatewayListener() {
    return links;
  }

  /** Adds a listener. */
  public void addListener(ConversationListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener == null"));
  }

  // ---------------------------------------------------------------------------------------------------- agents

  /**
   * Registers (or updates) an agent: how many conversations they handle at once and which queues they serve. A new
   * agent starts {@link Presence#OFFLINE}.
   *
   * @throws SmsValidationException for a blank id, a capacity below 1 or a blank queue code
   */
  public void registerAgent(String agentId, int maxConversations, Collection<String> queues) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(queues, "queues == null");
    String id = Checks.required("agentId", agentId);
    if (maxConversations < 1 || maxConversations > 1000) {
      throw new SmsValidationException("maxConversations", "must be 1-1000: " + maxConversations);
    }
    Set<String> q = new TreeSet<>();
    for (String queue : queues) {
      q.add(Checks.code("queues", queue));
    }
    AgentState agent = agents.compute(id, (k, old) -> old == null ? new AgentState(id, maxConversations, q, clock.instant())
        : old.with(maxConversations, q));
    log.info("agent {} registered: capacity {}, queues {}", id, maxConversations, q);
    if (agent.presence == Presence.AVAILABLE) {
      assignWaiting(q);
    }
  }

  /**
   * Changes an agent's presence. Becoming available assigns waiting conversations; going offline leaves the agent's
   * open conversations with them until the customer writes again: that reply moves the conversation (transcript and
   * all) to its number's queue at once.
   *
   * @throws SmsValidationException if the agent is not registered
   */
  public void setPresence(String agentId, Presence presence) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(presence, "presence == null");
    AgentState agent = agents.get(agentId);
    if (agent == null) {
      throw new SmsValidationException("agentId", "is not a registered agent: '" + Checks.abbreviate(agentId) + "'");
    }
    Presence previous;
    synchronized (agent) {
      previous = agent.presence;
      agent.presence = presence;
      if (presence == Presence.AVAILABLE && previous != Presence.AVAILABLE) {
        agent.idleSince = clock.instant();
      }
    }
    log.info("agent {} is {}", agentId, presence);
    if (presence == Presence.AVAILABLE) {
      assignWaiting(agent.queues);
    }
  }

  /**
   * The agent's presence. An agent never registered here is {@link Presence#AWAY}: replies to conversations they
   * originated still reach them, and queues never assign them work.
   */
  @Override
  public Presence presence(String agentId) {
    AgentState agent = agents.get(agentId);
    return agent == null ? Presence.AWAY : agent.presence;
  }

  // ---------------------------------------------------------------------------------------------------- outbound

  /**
   * An agent texts a customer: normalizes the customer's number with the mapping's default country, refuses an
   * opted-out customer, writes the originator record (so that the reply comes back to this agent for the mapping's
   * TTL), sends the message, and opens (or takes over) the conversation, assigned to the agent, with the message in
   * its transcript. On numbers linked to Amazon Connect ({@link BusinessNumber#connectPhoneNumberArn()}) the message is
   * sent by Amazon Connect (StartOutboundChatContact) instead of the gateway.
   *
   * <p>Never throws for bad input: the future fails with an {@link SmsValidationException} (unknown business number,
   * bad customer number, blank text), an {@link SmsOptedOutException}, or the send's own error; in those cases no
   * conversation is opened. When the send certainly failed (any {@link dev.smsgateway.SmsException} whose
   * {@code possiblyDelivered()} is false: rejected, opted out, unknown provider...) the originator record is withdrawn
   * (the record it replaced, if still live, is put back), so no reply is routed by a message that never left; a send
   * whose outcome is unknown keeps its record.
   *
   * @param idempotencyKey makes a repeated call (a retry after a timeout) send once and return the same conversation;
   *     may be null
   */
  public CompletableFuture<OutboundConversation> startOutbound(String agentId, String businessNumber,
      String customerNumber, String text, String idempotencyKey) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(businessNumber, "businessNumber == null");
    Objects.requireNonNull(customerNumber, "customerNumber == null");
    Objects.requireNonNull(text, "text == null");
    try {
      String agent = Checks.required("agentId", agentId);
      if (text.isBlank()) {
        throw new SmsValidationException("text", "is blank");
      }
      BusinessNumber number = configuration.findNumber(businessNumber).orElseThrow(() -> new SmsValidationException(
          "businessNumber", "is not a business number of any mapping: " + PhoneNumbers.mask(businessNumber.strip())));
      Mapping mapping = configuration.mappingFor(number.number()).orElseThrow();
      PhoneNumber customer = PhoneNumbers.normalize(customerNumber, mapping.defaultCountry(), "customerNumber");
      if (optOuts.isOptedOut(customer)) {
        throw new SmsOptedOutException(customer);
      }
      Instant now = clock.instant();
      if (number.connectPhoneNumberArn().isPresent()) {
        flowChats.require(mapping);
      }
      OriginatorRecord record = OriginatorRecord.of(customer, number.number(), agent, text, null, now,
          mapping.originatorTtl());
      boolean viaConnect = number.connectPhoneNumberArn().isPresent();
      MessageSender s = viaConnect ? null : requireSender();
      // Written before the send: a reply that overtakes the send's response still finds its agent.
      Originations.Claim claim = originations.claim(record);
      log.info("agent {} starts a conversation with {} from {} (mapping {})", agent, customer, number.number(),
          mapping.code());
      if (viaConnect) {
        return startThroughConnect(agent, mapping, number, customer, text, idempotencyKey, claim);
      }
      OutboundSms sms = OutboundSms.builder()
          .to(customer)
          .from(number.number())
          .body(text)
          .idempotencyKey(idempotencyKey)
          .provider(mapping.provider())
          .attribute("agentId", agent)
          .build();
      return s.send(sms).whenComplete((r, e) -> failed(claim, e)).thenApply(receipt -> {
        originators.put(new OriginatorRecord(customer, number.number(), agent, text, receipt.messageId(),
            record.createdAt(), record.expiresAt()));
        Conversation c = openForAgent(agent, mapping, number, customer, clock.instant());
        appendOnce(new TranscriptEntry(c.id(), now, TranscriptEntry.Direction.OUTBOUND, agent, text,
            receipt.messageId()));
        links.link(receipt.messageId(), c.id());
        return new OutboundConversation(c.id(), receipt.messageId(), null);
      });
    } catch (SmsException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<OutboundConversation> startThroughConnect(String agent, Mapping mapping,
      BusinessNumber number, PhoneNumber customer, String text, String idempotencyKey, Originations.Claim claim) {
    OriginatorRecord record = claim.record();
    return flowChats.startOutbound(agent, mapping, number, customer, text, idempotencyKey)
        .whenComplete((r, e) -> failed(claim, e)).thenApply(contactId -> {
      Instant at = clock.instant();
      Conversation c;
      ReentrantLock lock = engine.lockFor(customer, number.number());
      lock.lock();
      try {
        c = conversations.openIfAbsent(Conversation.open(RoutingEngine.randomId(), customer, number.number(),
            mapping.code(), number.target(), at));
        flowChats.link(c.id(), contactId);
      } finally {
        lock.unlock();
      }
      appendOnce(new TranscriptEntry(c.id(), record.createdAt(), TranscriptEntry.Direction.OUTBOUND, agent, text,
          contactId));
      return new OutboundConversation(c.id(), null, contactId);
    });
  }

  /**
   * An agent writes in a conversation assigned to them (and so accepts it, if it was offered).
   *
   * @return the send's receipt; fails with {@link SmsValidationException} if the conversation is not open or not the
   *     agent's
   */
  public CompletableFuture<SendReceipt> send(String agentId, String conversationId, String text) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    Objects.requireNonNull(text, "text == null");
    try {
      if (text.isBlank()) {
        throw new SmsValidationException("text", "is blank");
      }
      Conversation c = requireAgentConversation(agentId, conversationId);
      Mapping mapping = configuration.mapping(c.mappingCode()).orElse(null);
      offers.remove(conversationId);
      Instant now = clock.instant();
      OutboundSms.Builder sms = OutboundSms.builder().to(c.customer()).from(c.business()).body(text)
          .attribute("agentId", agentId).attribute("conversationId", conversationId);
      if (mapping != null) {
        sms.provider(mapping.provider());
      }
      return requireSender().send(sms.build()).thenApply(receipt -> {
        conversations.append(new TranscriptEntry(conversationId, now, TranscriptEntry.Direction.OUTBOUND, agentId,
            text, receipt.messageId()));
        links.link(receipt.messageId(), conversationId);
        touch(conversationId, clock.instant());
        return receipt;
      });
    } catch (SmsException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---------------------------------------------------------------------------------------------------- agent actions

  /**
   * The agent accepts a conversation offered to them because they originated it: it stays theirs after the accept
   * timeout. Sending in the conversation accepts it too.
   *
   * @throws SmsValidationException if the conversation is not open or not assigned to the agent
   */
  public void accept(String agentId, String conversationId) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    requireAgentConversation(agentId, conversationId);
    offers.remove(conversationId);
  }

  /**
   * The agent hands the conversation back to its business number's queue (the customer gets the agent-left message
   * unless suppressed); another agent is assigned if one has capacity.
   *
   * @throws SmsValidationException if the conversation is not open or not assigned to the agent
   */
  public void release(String agentId, String conversationId) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    Conversation c = requireAgentConversation(agentId, conversationId);
    offers.remove(conversationId);
    Mapping mapping = configuration.mapping(c.mappingCode()).orElse(null);
    RouteTarget queue = configuration.number(c.business()).map(BusinessNumber::target).orElse(null);
    if (mapping == null || queue == null) {
      end(conversationId, Conversation.EndReason.SYSTEM);
      return;
    }
    Conversation queued = update(c, x -> x.queuedAt(queue, clock.instant()));
    if (queued == null) {
      return;
    }
    freed(agentId);
    systemMessage(queued, mapping, mapping.chatControl().agentLeftMessage());
    waits(tryAssign(queued, mapping, Set.of(agentId)), mapping, false);
    assignWaiting(agentQueues(agentId));
  }

  /**
   * Ends a conversation. The customer gets the ended message (or, for {@link Conversation.EndReason#IDLE_TIMEOUT}, the
   * idle-timeout message) unless system messages are suppressed; nothing is sent for
   * {@link Conversation.EndReason#OPT_OUT}. Ending an ended conversation does nothing.
   *
   * @return whether this call ended it
   * @throws SmsValidationException if there is no such conversation
   */
  public boolean end(String conversationId, Conversation.EndReason reason) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    Objects.requireNonNull(reason, "reason == null");
    Conversation c = conversations.find(conversationId).orElseThrow(() -> new SmsValidationException(
        "conversationId", "is not a known conversation: '" + Checks.abbreviate(conversationId) + "'"));
    return endConversation(c, reason) != null;
  }

  /** The transcript of a conversation, in order. */
  public List<TranscriptEntry> transcript(String conversationId) {
    return conversations.transcript(Objects.requireNonNull(conversationId, "conversationId == null"));
  }

  /** A conversation, open or ended. */
  public Optional<Conversation> conversation(String conversationId) {
    return conversations.find(Objects.requireNonNull(conversationId, "conversationId == null"));
  }

  // ---------------------------------------------------------------------------------------------------- inbound

  /**
   * Routes and delivers one inbound message (the {@link dev.smsgateway.SmsGateway} calls this). Throws only when a
   * store or a contact flow failed, so that the provider delivers the message again.
   */
  @Override
  public void handle(InboundSms sms) {
    Objects.requireNonNull(sms, "sms == null");
    ReentrantLock lock = engine.lockFor(sms.from(), sms.to());
    lock.lock();
    try {
      dispatch(engine.routeDetailed(sms));
    } finally {
      lock.unlock();
    }
  }

  private void dispatch(RoutingEngine.Routed routed) {
    RouteDecision decision = routed.decision();
    InboundSms sms = routed.sms();
    Conversation c = routed.conversation();
    Mapping mapping = routed.mapping().orElse(null);
    if (decision instanceof RouteDecision.AutoReply reply) {
      if (reply.kind() == RouteDecision.AutoReply.Kind.OPT_OUT && c != null) {
        endConversation(c, Conversation.EndReason.OPT_OUT);
      }
      if (reply.reply() != null) {
        OutboundSms.Builder out = OutboundSms.builder().to(sms.from()).from(sms.to()).body(reply.reply())
            .provider(sms.provider()).attribute("keyword", reply.keyword()).keywordReply(true)
            .idempotencyKey("reply:" + sms.provider() + ":" + sms.providerMessageId());
        if (c != null && reply.kind() != RouteDecision.AutoReply.Kind.OPT_OUT) {
          conversations.append(new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.SYSTEM, SYSTEM,
              reply.reply(), null));
        }
        sendQuietly(out.build(), "keyword reply " + reply.keyword());
      }
    } else if (decision instanceof RouteDecision.ToAgent toAgent) {
      if (routed.opened()) {
        Duration timeout = mapping == null ? ChatControl.defaults().agentAcceptTimeout()
            : mapping.chatControl().agentAcceptTimeout();
        offers.put(c.id(), new Offer(toAgent.agentId(), clock.instant().plus(timeout)));
        touchAgent(toAgent.agentId());
        emit(l -> l.onAssigned(c, toAgent.agentId(), toAgent.whisper()));
      }
      emit(l -> l.onMessage(c, sms));
    } else if (decision instanceof RouteDecision.ToQueue) {
      Conversation current = c;
      if ((routed.opened() || routed.requeued()) && mapping != null) {
        offers.remove(c.id());
        current = tryAssign(c, mapping, Set.of());
        waits(current, mapping, true);
      }
      Conversation delivered = current;
      emit(l -> l.onMessage(delivered, sms));
    } else if (decision instanceof RouteDecision.ToContactFlow flow) {
      flowChats.deliver(flow, sms, mapping);
      emit(l -> l.onMessage(c, sms));
    } else if (decision instanceof RouteDecision.Unrouted unrouted) {
      emit(l -> l.onUnrouted(sms, unrouted.reason()));
    }
  }

  // ---------------------------------------------------------------------------------------------------- sweeping

  /**
   * Applies what time decides, as of the clock's now: ends conversations idle for their mapping's idle timeout
   * (sending the idle-timeout message unless suppressed), moves replies that an originating agent did not accept in
   * time to the number's queue, and assigns waiting conversations to agents with capacity.
   *
   * @return how many conversations changed
   */
  public int sweep() {
    Instant now = clock.instant();
    int changed = 0;
    for (Map.Entry<String, Offer> e : new ArrayList<>(offers.entrySet())) {
      Offer offer = e.getValue();
      if (now.isBefore(offer.deadline())) {
        continue;
      }
      if (offers.remove(e.getKey(), offer) && expireOffer(e.getKey(), offer, now)) {
        changed++;
      }
    }
    Duration shortest = configuration.mappings().stream().map(m -> m.chatControl().idleTimeout())
        .min(Comparator.naturalOrder()).orElse(ChatControl.defaults().idleTimeout());
    List<Conversation> idle;
    Instant cutoff = now.minus(shortest);
    do {
      idle = conversations.findIdle(cutoff.plusNanos(1), IDLE_BATCH);
      int endedNow = 0;
      for (Conversation c : idle) {
        Duration timeout = configuration.mapping(c.mappingCode()).map(m -> m.chatControl().idleTimeout())
            .orElse(ChatControl.defaults().idleTimeout());
        if (!c.lastActivityAt().plus(timeout).isAfter(now) && endConversation(c, Conversation.EndReason.IDLE_TIMEOUT)
            != null) {
          endedNow++;
        }
      }
      changed += endedNow;
      if (endedNow == 0) {
        break;
      }
    } while (idle.size() == IDLE_BATCH);
    Set<String> queues = new HashSet<>();
    for (Mapping m : configuration.mappings()) {
      for (BusinessNumber n : m.numbers()) {
        n.queue().ifPresent(queues::add);
      }
    }
    agents.values().forEach(a -> queues.addAll(a.queues)); // also queues a new configuration no longer names
    changed += assignWaiting(queues);
    return changed;
  }

  /**
   * Runs {@link #sweep()} every {@code period} on {@code scheduler} (the application's; it is not shut down here)
   * instead of on the service's own thread, which stops. Failures are logged and the next run still happens. Cancel
   * the returned future to stop.
   */
  public ScheduledFuture<?> scheduleSweeps(ScheduledExecutorService scheduler, Duration period) {
    return sweeps.schedule(scheduler, period);
  }

  /**
   * Stops the service's own sweeps. Stores, the gateway and a scheduler given to {@link #scheduleSweeps} are the
   * application's and stay as they are. Idempotent.
   */
  @Override
  public void close() {
    sweeps.close();
  }

  private boolean expireOffer(String conversationId, Offer offer, Instant now) {
    Conversation c = conversations.find(conversationId).orElse(null);
    if (c == null || !c.isOpen() || !(c.target() instanceof RouteTarget.Agent a) || !a.agentId().equals(offer.agentId())) {
      return false;
    }
    Mapping mapping = configuration.mapping(c.mappingCode()).orElse(null);
    RouteTarget queue = configuration.number(c.business()).map(BusinessNumber::target).orElse(null);
    if (mapping == null || !(queue instanceof RouteTarget.Queue)) {
      return false;
    }
    Conversation queued = update(c, x -> x.queuedAt(queue, now));
    if (queued == null) {
      return false;
    }
    log.info("agent {} did not accept conversation {} in {}; moved to {}", offer.agentId(), c.id(),
        mapping.chatControl().agentAcceptTimeout(), queue.key());
    conversations.append(new TranscriptEntry(c.id(), now, TranscriptEntry.Direction.SYSTEM, SYSTEM,
        "Agent " + offer.agentId() + " did not accept in time; moved to " + queue.key(), null));
    freed(offer.agentId());
    waits(tryAssign(queued, mapping, Set.of(offer.agentId())), mapping, true);
    return true;
  }

  // ---------------------------------------------------------------------------------------------------- assignment

  /** Assigns {@code c} (queued) to the longest-idle available agent of its queue; returns it as it now stands. */
  private Conversation tryAssign(Conversation c, Mapping mapping, Set<String> excluded) {
    if (!(c.target() instanceof RouteTarget.Queue q)) {
      return c;
    }
    assignment.lock();
    try {
      AgentState agent = pickAgent(q.queueCode(), excluded);
      if (agent == null) {
        log.info("conversation {} waits in queue {}: no available agent has capacity", c.id(), q.queueCode());
        return c;
      }
      Conversation assigned = update(c, x -> x.isOpen() && x.state() == Conversation.State.QUEUED
          ? x.assignedTo(agent.id, clock.instant()) : null);
      if (assigned == null) {
        return conversations.find(c.id()).orElse(c);
      }
      touchAgent(agent.id);
      log.info("conversation {} from queue {} assigned to agent {}", c.id(), q.queueCode(), agent.id);
      systemMessage(assigned, mapping, mapping.chatControl().agentJoinedMessage());
      emit(l -> l.onAssigned(assigned, agent.id, null));
      return assigned;
    } finally {
      assignment.unlock();
    }
  }

  /** Assigns waiting conversations of these queues, oldest first, while agents have capacity. */
  private int assignWaiting(Set<String> queues) {
    int assigned = 0;
    for (String queue : queues) {
      List<Conversation> waiting = conversations.findOpenByTarget(new RouteTarget.Queue(queue));
      for (Conversation c : waiting) {
        if (c.state() != Conversation.State.QUEUED) {
          continue;
        }
        Mapping mapping = configuration.mapping(c.mappingCode()).orElse(null);
        if (mapping == null) {
          continue;
        }
        Conversation after = tryAssign(c, mapping, Set.of());
        if (after.state() != Conversation.State.ASSIGNED) {
          break;
        }
        assigned++;
      }
    }
    return assigned;
  }

  private AgentState pickAgent(String queue, Set<String> excluded) {
    AgentState best = null;
    for (AgentState a : agents.values()) {
      if (a.presence != Presence.AVAILABLE || !a.queues.contains(queue) || excluded.contains(a.id)) {
        continue;
      }
      if (conversations.findOpenByTarget(new RouteTarget.Agent(a.id)).size() >= a.capacity) {
        continue;
      }
      if (best == null || a.idleSince.isBefore(best.idleSince)
          || (a.idleSince.equals(best.idleSince) && a.id.compareTo(best.id) < 0)) {
        best = a;
      }
    }
    return best;
  }

  private void touchAgent(String agentId) {
    AgentState a = agents.get(agentId);
    if (a != null) {
      a.idleSince = clock.instant();
    }
  }

  private void freed(String agentId) {
    touchAgent(agentId);
  }

  private Set<String> agentQueues(String agentId) {
    AgentState a = agents.get(agentId);
    return a == null ? Set.of() : a.queues;
  }

  // ---------------------------------------------------------------------------------------------------- helpers

  private Conversation openForAgent(String agent, Mapping mapping, BusinessNumber number, PhoneNumber customer,
      Instant now) {
    ReentrantLock lock = engine.lockFor(customer, number.number());
    lock.lock();
    try {
      Conversation candidate = Conversation.open(RoutingEngine.randomId(), customer, number.number(), mapping.code(),
          new RouteTarget.Agent(agent), now);
      Conversation c = conversations.openIfAbsent(candidate);
      offers.remove(c.id());
      if (c.id().equals(candidate.id())) {
        touchAgent(agent);
        emit(l -> l.onAssigned(candidate, agent, null));
        return c;
      }
      if (c.target() instanceof RouteTarget.Agent a && a.agentId().equals(agent)) {
        Conversation touched = update(c, x -> now.isAfter(x.lastActivityAt()) ? x.touched(now) : null);
        return touched != null ? touched : c;
      }
      // Another agent (or a queue) had it: the agent who just wrote takes it over.
      String previous = c.target() instanceof RouteTarget.Agent a ? a.agentId() : null;
      Conversation taken = update(c, x -> x.isOpen() ? x.assignedTo(agent, now) : null);
      if (taken == null) {
        return c;
      }
      conversations.append(new TranscriptEntry(c.id(), now, TranscriptEntry.Direction.SYSTEM, SYSTEM,
          "Agent " + agent + " took over the conversation", null));
      touchAgent(agent);
      emit(l -> l.onAssigned(taken, agent, null));
      if (previous != null) {
        assignWaiting(agentQueues(previous));
      }
      return taken;
    } finally {
      lock.unlock();
    }
  }

  private Conversation endConversation(Conversation c, Conversation.EndReason reason) {
    Instant now = clock.instant();
    Conversation ended = update(c, x -> x.isOpen() ? x.ended(reason, now) : null);
    if (ended == null) {
      return null;
    }
    offers.remove(ended.id());
    flowChats.forget(ended.id());
    log.info("conversation {} ended: {}", ended.id(), reason);
    Mapping mapping = configuration.mapping(ended.mappingCode()).orElse(null);
    if (mapping != null && reason != Conversation.EndReason.OPT_OUT) {
      String text = reason == Conversation.EndReason.IDLE_TIMEOUT ? mapping.chatControl().idleTimeoutMessage()
          : mapping.chatControl().endedMessage();
      systemMessage(ended, mapping, text);
    }
    emit(l -> l.onEnded(ended));
    if (ended.target() instanceof RouteTarget.Agent a) {
      freed(a.agentId());
      assignWaiting(agentQueues(a.agentId()));
    }
    return ended;
  }

  /**
   * If {@code c} was left waiting in its queue: tells the customer (the maximum-chats message, unless
   * {@code tellCustomer} is false) and the listeners, with its position.
   */
  private void waits(Conversation c, Mapping mapping, boolean tellCustomer) {
    if (c.state() != Conversation.State.QUEUED || !(c.target() instanceof RouteTarget.Queue q)) {
      return;
    }
    if (tellCustomer) {
      systemMessage(c, mapping, mapping.chatControl().maxChatsMessage());
    }
    List<Conversation> waiting = monitor.waiting(q.queueCode());
    int position = 1 + (int) waiting.stream().takeWhile(w -> !w.id().equals(c.id())).count();
    emit(l -> l.onQueued(c, Math.min(position, waiting.size()), waiting.size()));
  }

  /** Records a system message in the transcript and sends it unless the mapping suppresses system messages. */
  private void systemMessage(Conversation c, Mapping mapping, String text) {
    conversations.append(new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.SYSTEM, SYSTEM, text,
        null));
    if (mapping.chatControl().suppressSystemMessages() || sender == null) {
      return;
    }
    sendQuietly(OutboundSms.builder().to(c.customer()).from(c.business()).body(text).provider(mapping.provider())
        .attribute("conversationId", c.id()).build(), "system message");
  }

  private void failed(Originations.Claim claim, Throwable error) {
    if (error != null) {
      originations.failed(claim, error);
    }
  }

  private void sendQuietly(OutboundSms sms, String what) {
    MessageSender s = sender;
    if (s == null) {
      log.warn("{} to {} not sent: no sender bound (call bind(gateway))", what, PhoneNumbers.mask(sms.to()));
      return;
    }
    try {
      s.send(sms).whenComplete((receipt, error) -> {
        if (error != null) {
          Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
          log.warn("{} to {} not sent: {}", what, PhoneNumbers.mask(sms.to()), cause.toString());
        }
      });
    } catch (RuntimeException e) {
      log.warn("{} to {} not sent: {}", what, PhoneNumbers.mask(sms.to()), e.toString());
    }
  }

  private void appendOnce(TranscriptEntry entry) {
    if (entry.messageId() != null) {
      for (TranscriptEntry existing : conversations.transcript(entry.conversationId())) {
        if (entry.messageId().equals(existing.messageId()) && existing.direction() == entry.direction()) {
          return;
        }
      }
    }
    conversations.append(entry);
  }

  private void touch(String conversationId, Instant now) {
    conversations.find(conversationId).ifPresent(c -> update(c, x -> x.isOpen() && now.isAfter(x.lastActivityAt())
        ? x.touched(now) : null));
  }

  /** Applies {@code change} optimistically; null from {@code change} means "nothing to do". Returns the stored result. */
  private Conversation update(Conversation c, java.util.function.UnaryOperator<Conversation> change) {
    Conversation current = c;
    for (int i = 0; i < UPDATE_ATTEMPTS; i++) {
      Conversation next = change.apply(current);
      if (next == null) {
        return null;
      }
      if (conversations.update(next)) {
        return next;
      }
      Optional<Conversation> reread = conversations.find(current.id());
      if (reread.isEmpty()) {
        return null;
      }
      current = reread.get();
    }
    log.warn("conversation {} changed concurrently {} times; giving up this change", c.id(), UPDATE_ATTEMPTS);
    return null;
  }

  private Conversation requireAgentConversation(String agentId, String conversationId) {
    Conversation c = conversations.find(conversationId).orElseThrow(() -> new SmsValidationException(
        "conversationId", "is not a known conversation: '" + Checks.abbreviate(conversationId) + "'"));
    if (!c.isOpen()) {
      throw new SmsValidationException("conversationId", "has ended: '" + conversationId + "'");
    }
    if (!(c.target() instanceof RouteTarget.Agent a) || !a.agentId().equals(agentId)) {
      throw new SmsValidationException("agentId", "is not the agent of conversation " + conversationId + ": '"
          + Checks.abbreviate(agentId) + "'");
    }
    return c;
  }

  private MessageSender requireSender() {
    MessageSender s = sender;
    if (s == null) {
      throw new SmsConfigurationException("ConversationService has no sender: call bind(gateway) first");
    }
    return s;
  }

  private void emit(java.util.function.Consumer<ConversationListener> event) {
    for (ConversationListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        log.warn("conversation listener {} failed; ignored", l.getClass().getName(), e);
      }
    }
  }

  private record Offer(String agentId, Instant deadline) {}



  @Override
  public String toString() {
    return "ConversationService{mappings=" + configuration.mappings().size() + ", agents=" + agents.size() + "}";
  }

  /** Builds a {@link ConversationService}. Not thread-safe. */
  public static final class Builder {
    private RoutingConfiguration configuration;
    private OriginatorStore originators;
    private OptOutStore optOuts;
    private ConversationStore conversations;
    private Clock clock = Clock.systemUTC();
    private ContactFlowDelivery contactFlows;
    private KeywordClassifier classifier = KeywordClassifier.standard();
    // ---- compliance (begin) ----
    private dev.smsgateway.compliance.Compliance compliance;

    /**
     * The compliance engine (give the same one to the {@code SmsGateway}): keywords record consent in the customer's
     * opt-out scope and routing decisions are audited. Default none.
     */
    public Builder compliance(dev.smsgateway.compliance.Compliance compliance) {
      this.compliance = Objects.requireNonNull(compliance, "compliance == null");
      return this;
    }
    // ---- compliance (end) ----
    private java.util.function.Supplier<String> ids = RoutingEngine::randomId;
    private final List<ConversationListener> listeners = new ArrayList<>();
    private MessageSender sender;
    private java.util.Set<String> providerNames;
    private boolean automaticSweeps = true;
    private Duration sweepPeriod;

    private Builder() {}

    /**
     * Whether the service runs {@link ConversationService#sweep()} by itself, on its own daemon thread, until
     * {@link ConversationService#close()}. Default true. Turn it off when the application calls {@code sweep()} itself
     * (tests with a virtual clock do).
     */
    public Builder automaticSweeps(boolean automaticSweeps) {
      this.automaticSweeps = automaticSweeps;
      return this;
    }

    /**
     * How often the service sweeps by itself. Default: a tenth of the smallest idle or accept timeout of the
     * configuration, between 1 and 30 seconds (so a timeout fires at most that much late).
     */
    public Builder sweepPeriod(Duration sweepPeriod) {
      Objects.requireNonNull(sweepPeriod, "sweepPeriod == null");
      if (sweepPeriod.isNegative() || sweepPeriod.isZero()) {
        throw new SmsValidationException("sweepPeriod", "must be positive: " + sweepPeriod);
      }
      this.sweepPeriod = sweepPeriod;
      return this;
    }

    /** The mappings. Required. */
    public Builder configuration(RoutingConfiguration configuration) {
      this.configuration = Objects.requireNonNull(configuration, "configuration == null");
      return this;
    }

    /** Originator records. Required. */
    public Builder originatorStore(OriginatorStore originators) {
      this.originators = Objects.requireNonNull(originators, "originatorStore == null");
      return this;
    }

    /** Opt-outs; share it with the gateway. Required. */
    public Builder optOutStore(OptOutStore optOuts) {
      this.optOuts = Objects.requireNonNull(optOuts, "optOutStore == null");
      return this;
    }

    /** Conversations and transcripts. Required. */
    public Builder conversationStore(ConversationStore conversations) {
      this.conversations = Objects.requireNonNull(conversations, "conversationStore == null");
      return this;
    }

    /** The clock; use the stores' clock. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Delivery to contact flows; required when a mapping uses {@link Delivery#CONTACT_FLOW}. */
    public Builder contactFlowDelivery(ContactFlowDelivery contactFlows) {
      this.contactFlows = Objects.requireNonNull(contactFlows, "contactFlowDelivery == null");
      return this;
    }

    /** The opt-out, opt-in and help keywords. Default {@link KeywordClassifier#standard()}. */
    public Builder keywordClassifier(KeywordClassifier classifier) {
      this.classifier = Objects.requireNonNull(classifier, "keywordClassifier == null");
      return this;
    }

    /** Conversation ids. Default random UUIDs. */
    public Builder idGenerator(java.util.function.Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "idGenerator == null");
      return this;
    }

    /** Adds a listener. */
    public Builder listener(ConversationListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener == null"));
      return this;
    }

    /** The sender, when it exists already (otherwise {@link ConversationService#bind} it later). */
    public Builder sender(MessageSender sender) {
      this.sender = Objects.requireNonNull(sender, "sender == null");
      return this;
    }

    /**
     * The names of the gateway's providers, when the service is built after its gateway: {@link #build()} then checks
     * that every mapping names one of them. ({@link ConversationService#bind(dev.smsgateway.SmsGateway)} checks the
     * same when the gateway comes second.)
     */
    public Builder providerNames(Collection<String> providerNames) {
      this.providerNames = java.util.Set.copyOf(Objects.requireNonNull(providerNames, "providerNames == null"));
      return this;
    }

    /**
     * Builds the service.
     *
     * @throws SmsConfigurationException when a store or the configuration is missing, or a mapping delivers to
     *     contact flows without a {@link ContactFlowDelivery}, or names a provider not among
     *     {@link #providerNames}
     */
    public ConversationService build() {
      if (configuration == null || originators == null || optOuts == null || conversations == null) {
        throw new SmsConfigurationException("ConversationService needs a configuration, an originatorStore, an "
            + "optOutStore and a conversationStore");
      }
      Reconfiguration.check(configuration, contactFlows, providerNames);
      return new ConversationService(this);
    }
  }
}
