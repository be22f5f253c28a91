package dev.smsgateway.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.routing.AgentStatus;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.store.Conversation;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns the conversation service's events into Server-Sent Events frames for the agents they concern, and hands
 * them to each of that agent's open streams (an agent may have several tabs). Listener calls only format and offer
 * to bounded queues: they never block on a slow browser. A stream whose queue is full is marked lost and closed by
 * its writer (the page reconnects and reloads its lists).
 *
 * <p>Who gets what: assigned, message and ended go to the conversation's agent; delivery reports to the agent of the
 * conversation the message was sent in; queued to the streams of agents who served the queue when the stream opened
 * (a change of queues reaches a stream when the page reconnects).
 *
 * <p>Thread-safe.
 */
final class EventHub implements ConversationListener {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConversationService service;
  private final int capacity;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, Set<Subscription>> byAgent = new ConcurrentHashMap<>();

  EventHub(ConversationService service, int capacity) {
    this.service = service;
    this.capacity = capacity;
  }

  /** One open stream of one agent. Its writer takes frames; the hub offers them. */
  final class Subscription implements AutoCloseable {
    final String agentId;
    /** The queues the agent served when the stream opened (queued events go to them). */
    final Set<String> queues;
    private final BlockingQueue<byte[]> frames;
    private volatile boolean lost;

    Subscription(String agentId, Set<String> queues) {
      this.agentId = agentId;
      this.queues = queues;
      this.frames = new ArrayBlockingQueue<>(capacity);
    }

    /** The next frame, or null after {@code timeoutMillis}. */
    byte[] next(long timeoutMillis) throws InterruptedException {
      return frames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    boolean lost() {
      return lost;
    }

    void offer(byte[] frame) {
      if (!frames.offer(frame)) {
        lost = true;
      }
    }

    @Override
    public void close() {
      Set<Subscription> set = byAgent.get(agentId);
      if (set != null) {
        set.remove(this);
        byAgent.computeIfPresent(agentId, (k, v) -> v.isEmpty() ? null : v);
      }
    }
  }

  Subscription subscribe(String agentId) {
    Set<String> queues = service.monitor().agent(agentId).map(AgentStatus::queues).orElse(Set.of());
    Subscription s = new Subscription(agentId, queues);
    byAgent.computeIfAbsent(agentId, k -> new CopyOnWriteArraySet<>()).add(s);
    return s;
  }

  int subscribers() {
    return byAgent.values().stream().mapToInt(Set::size).sum();
  }

  /** Sends an event to every open stream of {@code agentId}. */
  void publish(String agentId, String type, ObjectNode data) {
    Set<Subscription> subs = byAgent.get(agentId);
    if (subs == null || subs.isEmpty()) {
      return;
    }
    byte[] frame = frame(type, data);
    for (Subscription s : subs) {
      s.offer(frame);
    }
  }

  byte[] frame(String type, ObjectNode data) {
    data.put("type", type);
    String json;
    try {
      json = JSON.writeValueAsString(data);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    // JSON has no raw newlines, so one data line per event (SSE: HTML Living Standard, server-sent events).
    return ("id: " + ids.incrementAndGet() + "\nevent: " + type + "\ndata: " + json + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private ObjectNode withConversation(Conversation c) {
    ObjectNode o = Views.F.objectNode();
    o.set("conversation", Views.conversation(c, service.router().configuration()));
    return o;
  }

  private static String agentOf(Conversation c) {
    return c.target() instanceof RouteTarget.Agent a ? a.agentId() : null;
  }

  @Override
  public void onAssigned(Conversation conversation, String agentId, String whisper) {
    if (!byAgent.containsKey(agentId)) {
      return;
    }
    ObjectNode o = withConversation(conversation);
    o.put("whisper", whisper);
    publish(agentId, "assigned", o);
  }

  @Override
  public void onQueued(Conversation conversation, int position, int depth) {
    if (!(conversation.target() instanceof RouteTarget.Queue q) || byAgent.isEmpty()) {
      return;
    }
    byte[] frame = null;
    for (Set<Subscription> subs : byAgent.values()) {
      for (Subscription s : subs) {
        if (s.queues.contains(q.queueCode())) {
          if (frame == null) {
            ObjectNode o = withConversation(conversation);
            // Waiting conversations show who waits, not the whole number (as GET /api/conversations does).
            ((ObjectNode) o.get("conversation")).put("customer",
                dev.smsgateway.PhoneNumbers.mask(conversation.customer().e164()));
            o.put("position", position);
            o.put("depth", depth);
            frame = frame("queued", o);
          }
          s.offer(frame);
        }
      }
    }
  }

  @Override
  public void onMessage(Conversation conversation, InboundSms sms) {
    String agent = agentOf(conversation);
    if (agent == null || !byAgent.containsKey(agent)) {
      return;
    }
    ObjectNode o = withConversation(conversation);
    o.put("text", sms.body());
    o.put("at", Views.time(sms.receivedAt()));
    o.put("messageId", sms.providerMessageId());
    publish(agent, "message", o);
  }

  @Override
  public void onDeliveryReport(String conversationId, DeliveryReport report, DeliveryStatus merged) {
    if (byAgent.isEmpty()) {
      return;
    }
    Conversation c = service.conversation(conversationId).orElse(null);
    String agent = c == null ? null : agentOf(c);
    if (agent == null || !byAgent.containsKey(agent)) {
      return;
    }
    ObjectNode o = Views.F.objectNode();
    o.put("conversationId", conversationId);
    o.put("messageId", report.messageId().orElse(null));
    o.put("status", merged.name());
    o.put("final", merged.isFinal());
    publish(agent, "delivery", o);
  }

  @Override
  public void onEnded(Conversation conversation) {
    String agent = agentOf(conversation);
    if (agent != null && byAgent.containsKey(agent)) {
      publish(agent, "ended", withConversation(conversation));
    }
  }
}
