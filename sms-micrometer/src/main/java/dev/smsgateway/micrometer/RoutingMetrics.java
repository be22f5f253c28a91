package dev.smsgateway.micrometer;

import dev.smsgateway.InboundSms;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.store.Conversation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds sms-routing's conversation events to Micrometer meters. Register it with the {@code ConversationService}
 * as a {@link ConversationListener} (sms-routing is an optional dependency of this module: add it yourself).
 *
 * <ul>
 *   <li>{@code sms.routing.decisions} (counter), tag {@code decision}: {@code originator} (a reply routed to the
 *       agent who wrote to the customer), {@code assigned} (an agent got the conversation otherwise: from a queue, or
 *       by opening it), {@code unrouted} (no mapping held the business number);
 *   <li>{@code sms.routing.messages} (counter): customer messages routed into a conversation;
 *   <li>{@code sms.conversations.ended} (counter), tag {@code reason}: the {@link Conversation.EndReason};
 *   <li>{@code sms.conversations.open} (gauge): conversations this instance has seen open and not yet seen end.
 *       With several instances each counts what it saw; sum them only as an approximation.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class RoutingMetrics implements ConversationListener {

  private final Set<String> open = ConcurrentHashMap.newKeySet();
  private final Counter byOriginator;
  private final Counter assigned;
  private final Counter unrouted;
  private final Counter messages;
  private final Map<Conversation.EndReason, Counter> ended = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final Tags tags;

  /** Registers the meters in {@code registry} with {@code commonTags} on each. */
  public RoutingMetrics(MeterRegistry registry, Tags commonTags) {
    this.registry = Objects.requireNonNull(registry, "registry == null");
    this.tags = Objects.requireNonNull(commonTags, "commonTags == null");
    this.byOriginator = decisions("originator");
    this.assigned = decisions("assigned");
    this.unrouted = decisions("unrouted");
    this.messages = Counter.builder("sms.routing.messages").tags(tags)
        .description("customer messages routed into a conversation").register(registry);
    Gauge.builder("sms.conversations.open", open, Set::size).tags(tags)
        .description("conversations seen open and not yet ended by this instance").register(registry);
  }

  private Counter decisions(String decision) {
    return Counter.builder("sms.routing.decisions").tags(tags).tag("decision", decision)
        .description("routing decisions by kind").register(registry);
  }

  @Override
  public void onAssigned(Conversation conversation, String agentId, String whisper) {
    (whisper != null ? byOriginator : assigned).increment();
    track(conversation);
  }

  @Override
  public void onMessage(Conversation conversation, InboundSms sms) {
    messages.increment();
    track(conversation);
  }

  @Override
  public void onEnded(Conversation conversation) {
    open.remove(conversation.id());
    Conversation.EndReason reason = conversation.endReason() == null ? Conversation.EndReason.SYSTEM
        : conversation.endReason();
    ended.computeIfAbsent(reason, r -> Counter.builder("sms.conversations.ended").tags(tags)
        .tag("reason", r.name().toLowerCase(Locale.ROOT)).description("conversations ended, by reason")
        .register(registry)).increment();
  }

  @Override
  public void onUnrouted(InboundSms sms, String reason) {
    unrouted.increment();
  }

  private void track(Conversation conversation) {
    if (conversation.state() != Conversation.State.ENDED) {
      open.add(conversation.id());
    }
  }

  /** The number of conversations currently counted as open. */
  public int openConversations() {
    return open.size();
  }

  @Override
  public String toString() {
    return "RoutingMetrics{open=" + open.size() + "}";
  }
}
