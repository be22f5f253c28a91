package dev.smsgateway.twilio.flex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.conversations.v1.service.conversation.Message;
import com.twilio.rest.flexapi.v1.Channel;
import com.twilio.rest.flexapi.v1.FlexFlow;
import com.twilio.rest.flexapi.v1.Interaction;
import com.twilio.rest.proxy.v1.service.Session;
import com.twilio.rest.proxy.v1.service.session.Participant;
import com.twilio.rest.proxy.v1.service.session.participant.MessageInteraction;
import com.twilio.rest.taskrouter.v1.workspace.Worker;
import com.twilio.rest.taskrouter.v1.workspace.task.Reservation;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.routing.Delivery;
import dev.smsgateway.routing.FlexRouting;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.twilio.SingleAttemptHttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent-initiated SMS conversations delivered into Twilio Flex for one {@link Delivery#FLEX} mapping, and the route of
 * a customer's later reply back to the agent who started them.
 *
 * <p>{@link #startOutbound} on the Interactions API ({@link Mode#INTERACTIONS}, the default), in this order:
 * <ol>
 *   <li>{@code POST /v1/Interactions} (flex-api): an SMS channel initiated by the agent whose participant is the
 *       customer with the business number as proxy address, routed by the mapping's workspace, workflow and task
 *       channel, with task attributes that target the worker ({@code targetWorkerSid}, {@code targetWorkerPhone} when
 *       the worker has one, {@code autoAnswer});
 *   <li>{@code POST /v1/Services/{IS}/Conversations/{CH}/Messages} (conversations): the agent's first message,
 *       authored by the worker's identity;
 *   <li>the originator record (customer, business number, worker SID, the text) is written with the mapping's TTL;
 *   <li>with {@link Builder#autoAccept}: the worker's pending reservation of the task is listed and accepted
 *       ({@code taskrouter}); none yet is no error ({@link FlexOutbound#reservationAccepted()} false).
 * </ol>
 * With {@link Mode#FLEX_FLOW_CHANNELS} (accounts still on Flex Flows and Proxy): the Flex Flow whose contact identity
 * is the business number, {@code POST /v1/Channels} with the same task attributes and {@code LongLived}, a Proxy
 * session (unique name: the channel) with the customer and the channel as participants, the first message through the
 * customer's participant ({@code MessageInteractions}), then the originator record.
 *
 * <p>Idempotency: the steps done for an idempotency key are remembered (in memory, the last
 * {@value #MAX_KEYS} keys): the same key again returns the same {@link FlexOutbound} without creating anything, and
 * after a {@link FlexDeliveryException} resumes at the step that failed. The same key with other arguments is an
 * {@link IllegalArgumentException}. Every request is sent once ({@link SingleAttemptHttpClient}).
 *
 * <p>Thread-safe: calls with different keys run in parallel; calls with one key run one at a time.
 */
public final class FlexDelivery {

  /** Which Flex API {@link #startOutbound} uses. */
  public enum Mode {
    /** {@code POST /v1/Interactions} on Conversations: Flex's current way. */
    INTERACTIONS,
    /** Flex Flow lookup, {@code POST /v1/Channels} and a Proxy session: the older way. */
    FLEX_FLOW_CHANNELS
  }

  static final int MAX_KEYS = 10_000;
  static final int MAX_TEXT = 1600;
  private static final Logger log = LoggerFactory.getLogger(FlexDelivery.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PROXY_SERVICE = Pattern.compile("KS[0-9a-fA-F]{32}");
  private static final Pattern CONVERSATION = Pattern.compile("CH[0-9a-fA-F]{32}");

  private final TwilioRestClient client;
  private final Mapping mapping;
  private final FlexRouting flex;
  private final OriginatorStore originators;
  private final Clock clock;
  private final Mode mode;
  private final String proxyServiceSid;
  private final String flexFlowSid;
  private final boolean autoAccept;
  private final WorkerAvailability availability;
  private final CustomerHistory history;
  private final Map<String, Progress> progress = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Progress> eldest) {
      return size() > MAX_KEYS;
    }
  };

  /** Tells whether a worker can take a task now. */
  @FunctionalInterface
  public interface WorkerAvailability {
    /** Whether {@code workerSid} is available; an exception counts as unavailable. */
    boolean isAvailable(String workerSid);
  }

  private FlexDelivery(Builder b) {
    this.client = b.client;
    this.mapping = b.mapping;
    this.flex = b.mapping.flex().orElseThrow();
    this.originators = b.originators;
    this.clock = b.clock;
    this.mode = b.mode;
    this.proxyServiceSid = b.proxyServiceSid;
    this.flexFlowSid = b.flexFlowSid;
    this.autoAccept = b.autoAccept;
    this.history = b.history != null ? b.history : new CustomerHistory(CustomerHistory.DEFAULT_LIMIT);
    this.availability = b.availability != null ? b.availability : workerSid -> {
      Worker w = Worker.fetcher(flex.workspaceSid(), workerSid).fetch(client);
      return Boolean.TRUE.equals(w.getAvailable());
    };
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The mapping this delivery serves. */
  public Mapping mapping() {
    return mapping;
  }

  /** Whether {@code conversationSid} is one {@link #startOutbound} created (its own events are not replies). */
  public boolean started(String conversationSid) {
    synchronized (progress) {
      for (Progress p : progress.values()) {
        if (conversationSid.equals(p.conversationSid)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The earlier conversations of each customer on this mapping's numbers. */
  public CustomerHistory history() {
    return history;
  }

  /**
   * Starts an agent-initiated SMS conversation in Flex, routed to {@code worker} (see the class description for the
   * steps and their order).
   *
   * @param worker the agent starting it
   * @param businessNumber one of the mapping's numbers, the sender the customer sees
   * @param customer the customer's number
   * @param text the agent's first message, 1-{@value #MAX_TEXT} characters
   * @param idempotencyKey 1-256 characters; the same key returns the same conversation
   * @throws IllegalArgumentException when the number is not the mapping's, the text is empty or too long, or the key
   *     was used with other arguments
   * @throws FlexDeliveryException naming the step that failed and what was already created
   */
  public FlexOutbound startOutbound(FlexWorker worker, Originator businessNumber, PhoneNumber customer, String text,
      String idempotencyKey) {
    Objects.requireNonNull(worker, "worker == null");
    Objects.requireNonNull(businessNumber, "businessNumber == null");
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey == null");
    if (mapping.number(businessNumber).isEmpty()) {
      throw new IllegalArgumentException("businessNumber " + businessNumber + " is not a number of mapping "
          + mapping.code());
    }
    if (businessNumber.kind() == Originator.Kind.ALPHANUMERIC) {
      throw new IllegalArgumentException("businessNumber " + businessNumber + " is an alphanumeric sender id: customers"
          + " cannot answer it");
    }
    if (text.isBlank() || text.length() > MAX_TEXT) {
      throw new IllegalArgumentException("text must be 1-" + MAX_TEXT + " characters, not blank: " + text.length());
    }
    if (idempotencyKey.isBlank() || idempotencyKey.length() > 256) {
      throw new IllegalArgumentException("idempotencyKey must be 1-256 characters, not blank: " + idempotencyKey.length());
    }
    List<Object> args = List.of(worker, businessNumber, customer, text);
    Progress p;
    synchronized (progress) {
      p = progress.computeIfAbsent(idempotencyKey, k -> new Progress(args));
    }
    if (!p.args.equals(args)) {
      throw new IllegalArgumentException("idempotencyKey was used for another conversation (other worker, numbers or"
          + " text)");
    }
    synchronized (p) {
      if (p.result == null) {
        p.result = mode == Mode.INTERACTIONS ? interactions(p, worker, businessNumber, customer, text)
            : flexFlowChannels(p, worker, businessNumber, customer, text);
        log.info("Flex: started {} conversation {} for worker {} (customer {})", mode, p.conversationSid,
            worker.workerSid(), customer.masked());
      }
      return p.result;
    }
  }

  private FlexOutbound interactions(Progress p, FlexWorker worker, Originator business, PhoneNumber customer,
      String text) {
    String from = business.address();
    if (p.interactionSid == null) {
      Map<String, Object> participant = Map.of("address", customer.e164(), "proxy_address", from);
      Map<String, Object> channel = Map.of("type", "sms", "initiated_by", "agent", "participants", List.of(participant));
      Map<String, Object> attributes = new LinkedHashMap<>();
      attributes.put("customerAddress", customer.e164());
      attributes.put("from", from);
      attributes.put("direction", "outbound");
      attributes.put("targetWorkerSid", worker.workerSid());
      worker.phoneAttribute().ifPresent(ph -> attributes.put("targetWorkerPhone", ph.e164()));
      attributes.put("autoAnswer", autoAccept);
      attributes.put("customerHistory", history.conversations(customer));
      Map<String, Object> properties = routingProperties(attributes);
      properties.put("worker_sid", worker.workerSid());
      Interaction created = call("create interaction", p, () -> Interaction.creator(channel)
          .setRouting(Map.of("properties", properties)).create(client));
      p.interactionSid = created.getSid();
      p.taskSid = taskSid(created);
      p.conversationSid = conversationSid(created, p);
    }
    if (p.messageSid == null) {
      Message m = call("send first message", p, () -> Message.creator(flex.conversationServiceSid(), p.conversationSid)
          .setAuthor(worker.identity()).setBody(text).create(client));
      p.messageSid = m.getSid();
    }
    finish(p, worker, business, customer, text);
    return new FlexOutbound(Mode.INTERACTIONS, p.interactionSid, p.conversationSid, p.taskSid, p.messageSid, null,
        p.accepted);
  }

  private FlexOutbound flexFlowChannels(Progress p, FlexWorker worker, Originator business, PhoneNumber customer,
      String text) {
    String from = business.address();
    if (p.flexFlowSid == null) {
      p.flexFlowSid = flexFlowSid != null ? flexFlowSid : findFlexFlow(p, business);
    }
    if (p.conversationSid == null) {
      Map<String, Object> attributes = new LinkedHashMap<>();
      attributes.put("name", customer.masked());
      attributes.put("channelType", "sms");
      attributes.put("customerAddress", customer.e164());
      attributes.put("targetWorkerSid", worker.workerSid());
      worker.phoneAttribute().ifPresent(ph -> attributes.put("targetWorkerPhone", ph.e164()));
      attributes.put("autoAnswer", autoAccept);
      attributes.put("customerHistory", history.conversations(customer));
      Channel ch = call("create channel", p, () -> Channel.creator(p.flexFlowSid, customer.e164(), customer.masked(),
              "SMS " + customer.masked())
          .setTarget(customer.e164()).setTaskAttributes(json(attributes)).setLongLived(true).create(client));
      p.conversationSid = ch.getSid();
      p.taskSid = ch.getTaskSid();
    }
    if (p.proxySessionSid == null) {
      Session s = call("create Proxy session", p, () -> Session.creator(proxyServiceSid).setUniqueName(p.conversationSid)
          .setMode(Session.Mode.MESSAGE_ONLY).create(client));
      p.proxySessionSid = s.getSid();
    }
    if (p.customerParticipantSid == null) {
      Participant c = call("add customer to Proxy session", p, () -> Participant.creator(proxyServiceSid,
          p.proxySessionSid, customer.e164()).setProxyIdentifier(from).setFriendlyName(customer.masked()).create(client));
      p.customerParticipantSid = c.getSid();
    }
    if (!p.channelJoined) {
      call("add channel to Proxy session", p, () -> Participant.creator(proxyServiceSid, p.proxySessionSid,
          p.conversationSid).setProxyIdentifier(from).setFriendlyName(customer.masked()).create(client));
      p.channelJoined = true;
    }
    if (p.messageSid == null) {
      MessageInteraction mi = call("send first message", p, () -> MessageInteraction.creator(proxyServiceSid,
          p.proxySessionSid, p.customerParticipantSid, text).create(client));
      p.messageSid = mi.getSid();
    }
    finish(p, worker, business, customer, text);
    return new FlexOutbound(Mode.FLEX_FLOW_CHANNELS, null, p.conversationSid, p.taskSid, p.messageSid,
        p.proxySessionSid, p.accepted);
  }

  /** The SMS Flex Flow whose contact identity is {@code business}; it must hand messages to a task, not to Studio. */
  private String findFlexFlow(Progress p, Originator business) {
    for (FlexFlow f : call("find Flex Flow", p, () -> FlexFlow.reader().read(client))) {
      if (business.address().equals(f.getContactIdentity()) && f.getChannelType() == FlexFlow.ChannelType.SMS) {
        if (f.getIntegrationType() != FlexFlow.IntegrationType.TASK) {
          throw new FlexDeliveryException("find Flex Flow", 0, p.created(), "Flex Flow " + f.getSid() + " of "
              + business + " has integration type " + f.getIntegrationType() + ", not task: its Studio flow, not these"
              + " task attributes, would route the chat; create a Direct to Task Flex Flow", null);
        }
        return f.getSid();
      }
    }
    throw new FlexDeliveryException("find Flex Flow", 0, p.created(), "no SMS Flex Flow has contact identity "
        + business + "; create a Direct to Task Flex Flow for it", null);
  }

  private void finish(Progress p, FlexWorker worker, Originator business, PhoneNumber customer, String text) {
    if (!p.recorded) {
      originators.put(OriginatorRecord.of(customer, business, worker.workerSid(), text, p.messageSid, clock.instant(),
          mapping.originatorTtl()));
      history.add(customer, p.conversationSid);
      p.recorded = true;
    }
    if (autoAccept && !p.accepted && p.taskSid != null) {
      p.accepted = acceptReservation(p, worker.workerSid());
    }
  }

  private boolean acceptReservation(Progress p, String workerSid) {
    for (Reservation r : call("list reservations", p, () -> Reservation.reader(flex.workspaceSid(), p.taskSid)
        .setWorkerSid(workerSid).setReservationStatus(Reservation.Status.PENDING).read(client))) {
      call("accept reservation", p, () -> Reservation.updater(flex.workspaceSid(), p.taskSid, r.getSid())
          .setReservationStatus(Reservation.Status.ACCEPTED).update(client));
      return true;
    }
    return false;
  }

  /**
   * Routes a customer's message that opened a new conversation (the earlier one had closed): to the worker of a live
   * originator record when that worker is available, otherwise to the mapping's workflow, with an interaction on the
   * existing conversation ({@code initiated_by: customer}, {@code media_channel_sid}). The task attributes carry the
   * text the agent sent ({@code whisper}) and the customer's earlier conversations ({@code customerHistory}).
   *
   * @throws FlexDeliveryException when Twilio refuses the interaction
   */
  public FlexReply routeReply(String conversationSid, PhoneNumber customer, Originator business) {
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    if (conversationSid == null || !CONVERSATION.matcher(conversationSid).matches()) {
      throw new IllegalArgumentException("conversationSid is not a conversation SID (CH + 32 hex digits)");
    }
    OriginatorRecord record = originators.find(customer, business).filter(r -> r.isLiveAt(clock.instant()))
        .orElse(null);
    String worker = null;
    String reason;
    if (record == null) {
      reason = "no live originator record; the mapping's workflow";
    } else if (isAvailable(record.agentId())) {
      worker = record.agentId();
      reason = "originator record of worker " + worker;
    } else {
      reason = "originator record of worker " + record.agentId() + " who is unavailable; the mapping's workflow";
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("customerAddress", customer.e164());
    attributes.put("from", business.address());
    attributes.put("direction", "inbound");
    attributes.put("conversationSid", conversationSid);
    if (worker != null) {
      attributes.put("targetWorkerSid", worker);
    }
    if (record != null) {
      attributes.put("whisper", record.outboundText());
      attributes.put("originatingWorkerSid", record.agentId());
    }
    List<String> earlier = history.conversations(customer);
    attributes.put("customerHistory", earlier);
    Map<String, Object> properties = routingProperties(attributes);
    if (worker != null) {
      properties.put("worker_sid", worker);
    }
    Map<String, Object> channel = Map.of("type", "sms", "initiated_by", "customer",
        "properties", Map.of("media_channel_sid", conversationSid));
    Progress p = new Progress(List.of());
    p.conversationSid = conversationSid;
    Interaction created = call("create interaction", p, () -> Interaction.creator(channel)
        .setRouting(Map.of("properties", properties)).create(client));
    history.add(customer, conversationSid);
    log.info("Flex: reply of customer {} in conversation {}: {}", customer.masked(), conversationSid, reason);
    return new FlexReply(created.getSid(), taskSid(created), worker, reason);
  }

  private boolean isAvailable(String workerSid) {
    try {
      return availability.isAvailable(workerSid);
    } catch (RuntimeException e) {
      log.warn("Flex: could not tell whether worker {} is available ({}); routing to the workflow", workerSid,
          e.getClass().getSimpleName());
      return false;
    }
  }

  private Map<String, Object> routingProperties(Map<String, Object> attributes) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("workspace_sid", flex.workspaceSid());
    properties.put("workflow_sid", flex.workflowSid());
    properties.put(flex.taskChannelIsSid() ? "task_channel_sid" : "task_channel_unique_name", flex.taskChannel());
    properties.put("attributes", attributes);
    return properties;
  }

  private static String taskSid(Interaction created) {
    JsonNode props = JSON.valueToTree(created.getRouting()).path("properties");
    String sid = props.path("sid").asText(null);
    return sid != null && sid.startsWith("WT") ? sid : null;
  }

  private static String conversationSid(Interaction created, Progress p) {
    JsonNode attributes = JSON.valueToTree(created.getRouting()).path("properties").path("attributes");
    try {
      if (attributes.isTextual()) {
        attributes = JSON.readTree(attributes.asText());
      }
    } catch (JsonProcessingException e) {
      attributes = null;
    }
    String sid = attributes == null ? null : attributes.path("conversationSid").asText(null);
    if (sid == null || !CONVERSATION.matcher(sid).matches()) {
      throw new FlexDeliveryException("create interaction", 0, p.created(),
          "the interaction's task attributes name no conversation (conversationSid)", null);
    }
    return sid;
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T call(String step, Progress p, Supplier<T> request) {
    try {
      return request.get();
    } catch (ApiException e) {
      int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
      throw new FlexDeliveryException(step, status, p.created(), "Twilio error "
          + (e.getCode() == null ? "" : e.getCode() + " ") + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new FlexDeliveryException(step, 0, p.created(), e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** The steps done for one idempotency key. Guarded by its own monitor. */
  private static final class Progress {
    final List<Object> args;
    String interactionSid;
    String flexFlowSid;
    String conversationSid;
    String taskSid;
    String proxySessionSid;
    String customerParticipantSid;
    boolean channelJoined;
    String messageSid;
    boolean recorded;
    boolean accepted;
    FlexOutbound result;

    Progress(List<Object> args) {
      this.args = args;
    }

    String created() {
      List<String> c = new ArrayList<>();
      if (interactionSid != null) {
        c.add("interaction " + interactionSid);
      }
      if (conversationSid != null) {
        c.add("conversation " + conversationSid);
      }
      if (taskSid != null) {
        c.add("task " + taskSid);
      }
      if (proxySessionSid != null) {
        c.add("Proxy session " + proxySessionSid);
      }
      if (messageSid != null) {
        c.add("message " + messageSid);
      }
      return String.join(", ", c);
    }
  }

  @Override
  public String toString() {
    return "FlexDelivery{mapping=" + mapping.code() + ", mode=" + mode + ", " + flex + "}";
  }

  /** Builds a {@link FlexDelivery}. Not thread-safe. */
  public static final class Builder {
    private TwilioRestClient client;
    private Mapping mapping;
    private OriginatorStore originators;
    private Clock clock = Clock.systemUTC();
    private Mode mode = Mode.INTERACTIONS;
    private String proxyServiceSid;
    private String flexFlowSid;
    private boolean autoAccept;
    private WorkerAvailability availability;
    private CustomerHistory history;

    private Builder() {}

    /** The Twilio client; its HTTP client must be a {@link SingleAttemptHttpClient}. Required. */
    public Builder client(TwilioRestClient client) {
      this.client = client;
      return this;
    }

    /** The {@link Delivery#FLEX} mapping whose numbers, Flex settings and originator TTL apply. Required. */
    public Builder mapping(Mapping mapping) {
      this.mapping = mapping;
      return this;
    }

    /** Where originator records are written and read (the gateway's store). Required. */
    public Builder originators(OriginatorStore originators) {
      this.originators = originators;
      return this;
    }

    /** The clock for originator records. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Which Flex API to use. Default {@link Mode#INTERACTIONS}. */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode == null");
      return this;
    }

    /** The Proxy service ({@code KS...}); required with {@link Mode#FLEX_FLOW_CHANNELS}. */
    public Builder proxyServiceSid(String proxyServiceSid) {
      this.proxyServiceSid = proxyServiceSid;
      return this;
    }

    /**
     * The Direct to Task Flex Flow ({@code FO...}) to create channels on, with {@link Mode#FLEX_FLOW_CHANNELS}.
     * Default: looked up by the business number as contact identity on every new conversation.
     */
    public Builder flexFlowSid(String flexFlowSid) {
      this.flexFlowSid = flexFlowSid;
      return this;
    }

    /** Accept the worker's reservation of an outbound task (and say {@code autoAnswer} to Flex UI). Default false. */
    public Builder autoAccept(boolean autoAccept) {
      this.autoAccept = autoAccept;
      return this;
    }

    /** Whether a worker can take a reply now. Default: TaskRouter's {@code available} of the worker. */
    public Builder workerAvailability(WorkerAvailability availability) {
      this.availability = availability;
      return this;
    }

    /** Where the customers' earlier conversations are kept. Default: in memory, 20 a customer. */
    public Builder history(CustomerHistory history) {
      this.history = history;
      return this;
    }

    /**
     * Builds it.
     *
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    public FlexDelivery build() {
      if (client == null) {
        throw new IllegalArgumentException("client is required");
      }
      if (!(client.getHttpClient() instanceof SingleAttemptHttpClient)) {
        throw new IllegalArgumentException("client must use a SingleAttemptHttpClient (twilio-java re-sends a POST that"
            + " got a 5xx, which would create a second interaction): "
            + "new TwilioRestClient.Builder(...).httpClient(SingleAttemptHttpClient.create(...))");
      }
      if (mapping == null) {
        throw new IllegalArgumentException("mapping is required");
      }
      if (mapping.delivery() != Delivery.FLEX) {
        throw new IllegalArgumentException("mapping " + mapping.code() + " delivers to " + mapping.delivery()
            + ", not FLEX");
      }
      if (originators == null) {
        throw new IllegalArgumentException("originators is required");
      }
      if (mode == Mode.FLEX_FLOW_CHANNELS) {
        if (proxyServiceSid == null || !PROXY_SERVICE.matcher(proxyServiceSid).matches()) {
          throw new IllegalArgumentException("proxyServiceSid is required with FLEX_FLOW_CHANNELS and must be a Proxy"
              + " service SID (KS followed by 32 hex digits)");
        }
        if (flexFlowSid != null && !flexFlowSid.matches("FO[0-9a-fA-F]{32}")) {
          throw new IllegalArgumentException("flexFlowSid is not a Flex Flow SID (FO followed by 32 hex digits)");
        }
      } else if (proxyServiceSid != null || flexFlowSid != null) {
        throw new IllegalArgumentException("proxyServiceSid and flexFlowSid are only used with FLEX_FLOW_CHANNELS");
      }
      return new FlexDelivery(this);
    }
  }
}
