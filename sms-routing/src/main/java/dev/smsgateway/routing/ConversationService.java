package dev.smsgateway.routing;

import dev.smsgateway.GatewayListener;
import dev.smsgateway.InboundHandler;
import dev.smsgateway.InboundSms;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.store.AgentStore;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.InMemoryAgentStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// The public face and the builder only; the work is done by package-private classes of one job each: Agents
// (agents and assignment), Lifecycle (conversation lifecycle and chat control), Outbound (outbound origination),
// EventFanout (events to listeners), with Outbox, ConversationWrites, MessageLinks, ContactFlowChats and
// SweepScheduler, PresenceLeases. They share no state but the stores. Past 600 lines only by the public methods' and
// the builder's javadoc, which is the API users read: splitting the builder out would break source compatibility.
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
 * <p><b>Multiple instances.</b> Conversations, originator records and opt-outs live in their stores, agents (presence,
 * capacity, load, pending offers and their deadlines) in the {@link Builder#agentStore agent store}; instances that
 * share them share the contact center. Any instance's sweep applies any conversation's timeouts, one instance per
 * conversation, so the offers of an instance that stopped still lapse to the queue. Listeners hear the events of their
 * own instance, or, with an {@link Builder#events events bus}, the events of the agents registered on it. Each instance
 * renews a {@link Builder#presenceLease presence lease} for the agents connected to it; the agents of an instance that
 * died go offline when their lease lapses, and their open conversations go back to the queue.
 *
 * <p>Thread-safe.
 */
public final class ConversationService implements InboundHandler, AgentDirectory, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);

  private volatile RoutingConfiguration configuration;
  private final RoutingEngine engine;
  private final ConversationStore conversations;
  private final ContactFlowDelivery contactFlows;
  private final EventFanout events;
  private final BusEvents busEvents; // null without an events bus
  private final Outbox outbox;
  private final MessageLinks links;
  private final Agents agents;
  private final Lifecycle lifecycle;
  private final Outbound outbound;
  private final ContactFlowReplies flowReplies; // contact-flow chats, the way back
  private final ConversationMonitor monitor;
  private final SweepScheduler sweeps = new SweepScheduler(this::sweep);
  private final boolean fixedSweepPeriod;
  private final PresenceLeases leases; // presence leases
  private final boolean fixedLease; // presence leases
  private volatile java.util.Set<String> providerNames;

  private ConversationService(Builder b) {
    this.configuration = b.configuration;
    this.conversations = b.conversations;
    this.contactFlows = b.contactFlows;
    this.providerNames = b.providerNames;
    this.events = new EventFanout(b.listeners, b.bus, b.conversations, b.clock); // events bus
    this.busEvents = b.bus == null ? null
        : new BusEvents(b.bus, b.busName, b.conversations, () -> configuration, events); // events bus
    this.outbox = new Outbox(b.conversations, b.clock, b.sender);
    this.links = b.messages == null ? new MessageLinks(events::deliveryReport)
        : new MessageLinks(events::deliveryReport, new SentElsewhere(b.messages, b.conversations)); // events bus
    ConversationWrites writes = new ConversationWrites(b.conversations);
    ContactFlowChats flowChats = new ContactFlowChats(b.contactFlows, b.conversations, b.clock);
    // contact-flow chats, the way back (sms-connect): begin
    this.flowReplies = new ContactFlowReplies(b.contactFlows, flowChats, b.conversations, b.clock,
        () -> configuration, outbox::requireSender, links::link, events::message, this::end);
    // contact-flow chats, the way back: end
    AgentStore agentStore = b.agents != null ? b.agents : new InMemoryAgentStore();
    this.agents = new Agents(agentStore, b.conversations, writes, () -> configuration, outbox, events, b.clock);
    this.monitor = new ConversationMonitor(b.conversations, agentStore, () -> configuration, b.clock);
    this.engine = RoutingEngine.builder()
        .configuration(b.configuration)
        .originatorStore(b.originators)
        .optOutStore(b.optOuts)
        .conversationStore(b.conversations)
        .agentDirectory(agents)
        .keywordClassifier(b.classifier)
        .clock(b.clock)
        .idGenerator(b.ids)
        .complianceOrNone(b.compliance) // ---- compliance ----
        .build();
    this.lifecycle = new Lifecycle(() -> configuration, b.conversations, writes, agents, outbox, events, flowChats,
        links, monitor, b.clock);
    this.outbound = new Outbound(() -> configuration, engine, b.originators, b.optOuts, b.conversations, writes,
        agents, outbox, events, flowChats, links, b.clock);
    this.fixedSweepPeriod = b.sweepPeriod != null;
    // presence leases: begin
    this.fixedLease = b.presenceLease != null;
    Duration heartbeat = fixedSweepPeriod ? b.sweepPeriod : SweepScheduler.periodFor(b.configuration);
    Duration lease = fixedLease ? b.presenceLease : b.agents != null && b.automaticSweeps
        ? PresenceLeases.defaultLease(b.configuration, heartbeat) : null;
    this.leases = new PresenceLeases(agentStore, b.conversations, b.clock, lease);
    // presence leases: end
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
    outbox.bind(sender);
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
    outbox.bind(gateway::send);
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
      if (!fixedLease) { // presence leases: the default follows the accept timeouts
        Duration heartbeat = sweeps.period();
        leases.lease(PresenceLeases.defaultLease(next, heartbeat != null ? heartbeat : SweepScheduler.periodFor(next)));
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
    events.add(listener);
  }

  // ---------------------------------------------------------------------------------------------------- agents

  /**
   * Registers (or updates) an agent: how many conversations they handle at once and which queues they serve. A new
   * agent starts {@link Presence#OFFLINE}.
   *
   * @throws SmsValidationException for a blank id, a capacity below 1 or a blank queue code
   */
  public void registerAgent(String agentId, int maxConversations, Collection<String> queues) {
    agents.register(agentId, maxConversations, queues);
    leases.connected(agentId); // presence leases: this instance vouches for the agent
    if (busEvents != null) {
      busEvents.attach(agentId); // events bus: the agent's events now reach this instance
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
    agents.setPresence(agentId, presence);
    leases.connected(agentId); // presence leases: this instance vouches for the agent
    if (busEvents != null) {
      busEvents.attach(agentId); // events bus: the agent's desktop is connected here
    }
  }

  /**
   * The agent's desktop left this instance (it will connect to another, or is gone): with an
   * {@link Builder#events events bus}, this instance stops delivering the agent's events; they wait in the bus, in
   * order, for the instance where the agent is next registered or changes presence. The agent's presence, capacity
   * and conversations are unchanged. Without a bus, nothing of this. With {@link Builder#presenceLease presence
   * leases} (with or without a bus), this instance also stops renewing the agent's lease: unless an instance connects
   * the agent again within the lease, the agent goes offline and their open conversations go back to the queue.
   */
  public void disconnectAgent(String agentId) {
    Objects.requireNonNull(agentId, "agentId == null");
    leases.disconnected(agentId); // presence leases
    if (busEvents != null) {
      busEvents.detach(agentId); // events bus
    }
  }

  /**
   * The agent's presence. An agent never registered here is {@link Presence#AWAY}: replies to conversations they
   * originated still reach them, and queues never assign them work.
   */
  @Override
  public Presence presence(String agentId) {
    return agents.presence(agentId);
  }

  // ---------------------------------------------------------------------------------------------------- outbound

  /**
   * An agent texts a customer: normalizes the customer's number with the mapping's default country, refuses an
   * opted-out customer, writes the originator record (so that the reply comes back to this agent for the mapping's
   * TTL), sends the message, and opens (or takes over) the conversation, assigned to the agent, with the message in
   * its transcript. On numbers linked to Amazon Connect ({@link BusinessNumber#connectPhoneNumberArn()}) the message is
   * sent by Amazon Connect (StartOutboundChatContact) instead of the gateway; the gateway joins that chat
   * ({@link ContactFlowDelivery#joinChat}), so the agent's later messages ({@link #send}, or this method again while it
   * is open) go into it and the customer's replies in it reach the listeners.
   *
   * <p>Never throws for bad input: the future fails with an {@link SmsValidationException} (unknown business number,
   * bad customer number, blank text), an {@link SmsOptedOutException}, or the send's own error; in those cases no
   * conversation is opened. A store's failure fails the future too.
   *
   * <p>No thread waits for the stores: the opt-out look-up, the originator record and the opening use the stores'
   * asynchronous calls, and each step goes on where the store's answer arrives. With stores that answer at once (in
   * memory) that is the calling thread; with a JDBC store the future may complete on one of its completion threads,
   * so continue with an executor of your own for work that blocks. With a store whose opt-out look-up answers later,
   * the originator record is written while the look-up is under way (one store round trip fewer before the send) and
   * withdrawn, as a failed send's is, when the customer turns out to have opted out or the look-up fails; nothing is
   * sent before both are in. A customer reply for the pair routed while the
   * opening is being written waits for it, so it finds the conversation with this message and the agent. When the send certainly failed (any {@link dev.smsgateway.SmsException} whose
   * {@code possiblyDelivered()} is false: rejected, opted out, unknown provider...) the originator record is withdrawn
   * (the record it replaced, if still live, is put back), so no reply is routed by a message that never left; a send
   * whose outcome is unknown keeps its record.
   *
   * @param idempotencyKey makes a repeated call (a retry after a timeout) send once and return the same conversation;
   *     may be null
   */
  public CompletableFuture<OutboundConversation> startOutbound(String agentId, String businessNumber,
      String customerNumber, String text, String idempotencyKey) {
    return outbound.start(agentId, businessNumber, customerNumber, text, idempotencyKey);
  }

  /**
   * An agent writes in a conversation assigned to them (and so accepts it, if it was offered).
   *
   * @return the send's receipt; fails with {@link SmsValidationException} if the conversation is not open or not the
   *     agent's
   */
  public CompletableFuture<SendReceipt> send(String agentId, String conversationId, String text) {
    return lifecycle.send(agentId, conversationId, text);
  }

  // ---------------------------------------------------------------------------------------------------- agent actions

  /**
   * The agent accepts a conversation offered to them because they originated it: it stays theirs after the accept
   * timeout. Sending in the conversation accepts it too.
   *
   * @throws SmsValidationException if the conversation is not open or not assigned to the agent
   */
  public void accept(String agentId, String conversationId) {
    lifecycle.accept(agentId, conversationId);
  }

  /**
   * The agent hands the conversation back to its business number's queue (the customer gets the agent-left message
   * unless suppressed); another agent is assigned if one has capacity.
   *
   * @throws SmsValidationException if the conversation is not open or not assigned to the agent
   */
  public void release(String agentId, String conversationId) {
    lifecycle.release(agentId, conversationId);
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
    return lifecycle.end(conversationId, reason);
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
   * store or a contact flow failed, so that the provider delivers the message again. While an agent's opening of a
   * conversation with the same customer and business number is being written, it waits for it (see
   * {@link #startOutbound}).
   */
  @Override
  public void handle(InboundSms sms) {
    Objects.requireNonNull(sms, "sms == null");
    ReentrantLock lock = engine.lockForDecision(sms.from(), sms.to());
    try {
      lifecycle.dispatch(engine.routeDetailed(sms));
    } finally {
      lock.unlock();
    }
  }

  // contact-flow chats, the way back (sms-connect): begin
  /**
   * The chat of a contact-flow contact has new items (Amazon Connect published a message or event of the chat):
   * handles the chat's items not handled yet, in the chat's order, once across every instance sharing the
   * conversation store. Agent (and, if the delivery passes them, system) messages go to the customer as SMS; the
   * chat's end ends the conversation. A contact that carries no conversation is ignored.
   *
   * @return how many items were handled
   * @throws SmsException when an item could not be handled yet (answer the notification with an error so that it is
   *     delivered again; nothing after that item was handled)
   */
  public int contactFlowActivity(String contactId) {
    return flowReplies.catchUp(Objects.requireNonNull(contactId, "contactId == null"));
  }
  // contact-flow chats, the way back: end

  // ---------------------------------------------------------------------------------------------------- sweeping

  /**
   * Applies what time decides, as of the clock's now: ends conversations idle for their mapping's idle timeout
   * (sending the idle-timeout message unless suppressed), moves replies that an originating agent did not accept in
   * time to the number's queue, and assigns waiting conversations to agents with capacity. With
   * {@link Builder#presenceLease presence leases}, it first renews the leases of the agents connected here (the
   * heartbeat), then takes agents whose lease lapsed (their instance died), sets them offline and releases their open
   * conversations to the queue, as {@link #release} does.
   *
   * @return how many conversations changed
   */
  public int sweep() {
    leases.renew(); // presence leases: begin
    int released = leases.releaseLapsed(lifecycle::release); // presence leases: end
    return released + lifecycle.sweep();
  }

  /**
   * Runs {@link #sweep()} every {@code period} on {@code scheduler} (the application's; it is not shut down here)
   * instead of on the service's own thread, which stops. Failures are logged and the next run still happens. Cancel
   * the returned future to stop.
   *
   * @throws SmsValidationException naming {@code presenceLease} when {@code period} would renew the
   *     {@link Builder#presenceLease presence lease} fewer than three times per lease
   */
  public ScheduledFuture<?> scheduleSweeps(ScheduledExecutorService scheduler, Duration period) {
    Duration lease = leases.lease(); // presence leases: the sweeps are the heartbeat
    if (lease != null && period != null) {
      PresenceLeases.check(lease, period);
    }
    return sweeps.schedule(scheduler, period);
  }

  /**
   * Stops the service's own sweeps. Stores, the gateway and a scheduler given to {@link #scheduleSweeps} are the
   * application's and stay as they are. Idempotent.
   */
  @Override
  public void close() {
    sweeps.close();
    if (busEvents != null) {
      busEvents.close(); // events bus: this instance's agents' events wait in the bus for their next instance
    }
  }

  @Override
  public String toString() {
    return "ConversationService{mappings=" + configuration.mappings().size() + ", agentStore=" + agents.store() + "}";
  }

  /** Builds a {@link ConversationService}. Not thread-safe. */
  public static final class Builder {
    private RoutingConfiguration configuration;
    private OriginatorStore originators;
    private OptOutStore optOuts;
    private ConversationStore conversations;
    private AgentStore agents;
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
    private Duration presenceLease; // presence leases
    // ---- events bus (begin) ----
    private dev.smsgateway.events.ConversationEvents bus;
    private String busName = "conversation-service";
    private dev.smsgateway.store.MessageStore messages;

    /**
     * The events bus shared by the instances of a deployment (in memory, PostgreSQL or DynamoDB): each event of a
     * conversation an agent has is published to the agent's stream and reaches the listeners of the instance the
     * agent is registered on ({@link ConversationService#registerAgent}, {@link ConversationService#setPresence}),
     * once, whichever instance raised it. Default none: every event reaches the listeners of the instance that raised
     * it. The bus is the application's: {@link ConversationService#close()} closes only this instance's subscription.
     *
     * <p>Threads: with a bus, the listeners hear agent events on the bus subscription's delivery thread, one at a
     * time in each agent's order, a moment after the instance that raised them returned.
     */
    public Builder events(dev.smsgateway.events.ConversationEvents events) {
      return events(events, busName);
    }

    /** {@link #events(dev.smsgateway.events.ConversationEvents)}, naming this instance's subscription. */
    public Builder events(dev.smsgateway.events.ConversationEvents events, String name) {
      this.bus = Objects.requireNonNull(events, "events == null");
      this.busName = Checks.required("name", name);
      return this;
    }

    /**
     * The gateway's message store, shared by the instances: a delivery report that reaches this instance for a
     * message another instance sent then finds its conversation (still open) through the stores, and with an
     * {@link #events events bus} reaches the agent's instance. Default none: a report reaches the conversation only
     * on the instance that sent the message.
     */
    public Builder messageStore(dev.smsgateway.store.MessageStore messages) {
      this.messages = Objects.requireNonNull(messages, "messageStore == null");
      return this;
    }
    // ---- events bus (end) ----

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

    // ---- presence leases (begin) ----
    /**
     * How long an agent stays present without a heartbeat from the instance their desktop is connected to. That
     * instance renews the lease on every sweep; when it dies, queues stop assigning the agent work once the lease ends,
     * and the next sweep of any live instance sets the agent offline and releases their open conversations to the
     * queue (see {@link ConversationService#sweep()}). Must be at least three sweep periods.
     *
     * <p>Default: with an {@link #agentStore agent store} given and {@link #automaticSweeps automatic sweeps}, half
     * the smallest accept timeout of the configuration (at least three sweep periods), so that a dead instance's
     * conversations are back in the queue within about the accept timeout; otherwise none (an agent store of this JVM
     * alone has nobody to lose; an application that sweeps by hand sets it, and its sweeps are the heartbeat).
     */
    public Builder presenceLease(Duration presenceLease) {
      Objects.requireNonNull(presenceLease, "presenceLease == null");
      if (presenceLease.isNegative() || presenceLease.isZero()) {
        throw new SmsValidationException("presenceLease", "must be positive: " + presenceLease);
      }
      this.presenceLease = presenceLease;
      return this;
    }
    // ---- presence leases (end) ----

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

    /**
     * Agents: presence, capacity, the conversations each holds, and offers with their accept deadlines. Default a new
     * {@link InMemoryAgentStore} (this instance alone). Instances that share conversations and want to share agents
     * give each the same durable store (JDBC or DynamoDB modules).
     */
    public Builder agentStore(AgentStore agents) {
      this.agents = Objects.requireNonNull(agents, "agentStore == null");
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
     * @throws SmsValidationException naming {@code presenceLease} when it is shorter than three sweep periods
     */
    public ConversationService build() {
      if (configuration == null || originators == null || optOuts == null || conversations == null) {
        throw new SmsConfigurationException("ConversationService needs a configuration, an originatorStore, an "
            + "optOutStore and a conversationStore");
      }
      Reconfiguration.check(configuration, contactFlows, providerNames);
      if (presenceLease != null) { // presence leases
        PresenceLeases.check(presenceLease, sweepPeriod != null ? sweepPeriod : SweepScheduler.periodFor(configuration));
      }
      return new ConversationService(this);
    }
  }
}
