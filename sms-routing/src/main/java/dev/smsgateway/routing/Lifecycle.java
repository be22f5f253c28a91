package dev.smsgateway.routing;

import dev.smsgateway.InboundSms;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.AgentOffer;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversation lifecycle and chat control: what happens to a conversation once it is open. Routed replies are handed
 * to their agent, queue or contact flow; agents write, accept and release; conversations end (by hand, by opt-out, by
 * idle timeout); offers an originating agent did not accept in time go to the queue. Thread-safe.
 */
final class Lifecycle {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
  private static final int IDLE_BATCH = 500;
  private static final int OFFER_BATCH = 100;
  /**
   * How long a lapsed offer taken by one instance's sweep stays its own: if that instance dies before moving the
   * conversation, another instance's sweep takes the offer again after this.
   */
  static final Duration OFFER_LEASE = Duration.ofMinutes(1);

  private final Supplier<RoutingConfiguration> configuration;
  private final ConversationStore conversations;
  private final ConversationWrites writes;
  private final Agents agents;
  private final Outbox outbox;
  private final EventFanout events;
  private final ContactFlowChats flowChats;
  private final MessageLinks links;
  private final ConversationMonitor monitor;
  private final Clock clock;

  Lifecycle(Supplier<RoutingConfiguration> configuration, ConversationStore conversations, ConversationWrites writes,
      Agents agents, Outbox outbox, EventFanout events, ContactFlowChats flowChats, MessageLinks links,
      ConversationMonitor monitor, Clock clock) {
    this.configuration = configuration;
    this.conversations = conversations;
    this.writes = writes;
    this.agents = agents;
    this.outbox = outbox;
    this.events = events;
    this.flowChats = flowChats;
    this.links = links;
    this.monitor = monitor;
    this.clock = clock;
  }

  // ---------------------------------------------------------------------------------------------------- inbound

  /** Delivers what the router decided for one inbound message (called under the engine's lock for the pair). */
  void dispatch(RoutingEngine.Routed routed) {
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
          conversations.append(new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.SYSTEM,
              Outbox.SYSTEM, reply.reply(), null));
        }
        outbox.sendQuietly(out.build(), "keyword reply " + reply.keyword());
      }
    } else if (decision instanceof RouteDecision.ToAgent toAgent) {
      if (routed.opened()) {
        Duration timeout = mapping == null ? ChatControl.defaults().agentAcceptTimeout()
            : mapping.chatControl().agentAcceptTimeout();
        agents.offer(c.id(), toAgent.agentId(), clock.instant().plus(timeout));
        agents.hold(toAgent.agentId(), c.id());
        agents.touch(toAgent.agentId());
        events.assigned(c, toAgent.agentId(), toAgent.whisper());
      }
      events.message(c, sms);
    } else if (decision instanceof RouteDecision.ToQueue) {
      Conversation current = c;
      if (routed.requeued()) {
        for (String agent : agents.releaseEverywhere(c.id())) { // the router moved it from its offline agent
          events.released(c, agent);
        }
      }
      if ((routed.opened() || routed.requeued()) && mapping != null) {
        agents.withdrawOffer(c.id());
        current = agents.tryAssign(c, mapping, Set.of());
        waits(current, mapping, true);
      }
      events.message(current, sms);
    } else if (decision instanceof RouteDecision.ToContactFlow flow) {
      flowChats.deliver(flow, sms, mapping);
      events.message(c, sms);
    } else if (decision instanceof RouteDecision.Unrouted unrouted) {
      events.unrouted(sms, unrouted.reason());
    }
  }

  // ---------------------------------------------------------------------------------------------------- agent actions

  CompletableFuture<SendReceipt> send(String agentId, String conversationId, String text) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    Objects.requireNonNull(text, "text == null");
    try {
      if (text.isBlank()) {
        throw new SmsValidationException("text", "is blank");
      }
      // agent-originated contact-flow chats (sms-connect): begin
      Conversation c;
      try {
        c = requireAgentConversation(agentId, conversationId);
      } catch (SmsValidationException notTheAgents) {
        // Not assigned to the agent: a chat the agent originated on a contact-center number takes it into the chat.
        CompletableFuture<SendReceipt> intoChat = flowChats.followUp(agentId, conversationId, text);
        if (intoChat == null) {
          throw notTheAgents;
        }
        return intoChat;
      }
      // agent-originated contact-flow chats: end
      Mapping mapping = configuration.get().mapping(c.mappingCode()).orElse(null);
      agents.withdrawOffer(conversationId);
      Instant now = clock.instant();
      OutboundSms.Builder sms = OutboundSms.builder().to(c.customer()).from(c.business()).body(text)
          .attribute("agentId", agentId).attribute("conversationId", conversationId);
      if (mapping != null) {
        sms.provider(mapping.provider());
      }
      return outbox.requireSender().send(sms.build()).thenApply(receipt -> {
        conversations.append(new TranscriptEntry(conversationId, now, TranscriptEntry.Direction.OUTBOUND, agentId,
            text, receipt.messageId()));
        links.link(receipt.messageId(), conversationId);
        writes.touch(conversationId, clock.instant());
        return receipt;
      });
    } catch (SmsException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  void accept(String agentId, String conversationId) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    requireAgentConversation(agentId, conversationId);
    agents.withdrawOffer(conversationId);
  }

  void release(String agentId, String conversationId) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(conversationId, "conversationId == null");
    Conversation c = requireAgentConversation(agentId, conversationId);
    agents.withdrawOffer(conversationId);
    RoutingConfiguration config = configuration.get();
    Mapping mapping = config.mapping(c.mappingCode()).orElse(null);
    RouteTarget queue = config.number(c.business()).map(BusinessNumber::target).orElse(null);
    if (mapping == null || queue == null) {
      end(conversationId, Conversation.EndReason.SYSTEM);
      return;
    }
    Conversation queued = writes.update(c, x -> x.queuedAt(queue, clock.instant()));
    if (queued == null) {
      return;
    }
    agents.release(agentId, conversationId);
    agents.touch(agentId);
    events.released(queued, agentId);
    outbox.systemMessage(queued, mapping, mapping.chatControl().agentLeftMessage());
    waits(agents.tryAssign(queued, mapping, Set.of(agentId)), mapping, false);
    agents.assignWaitingFor(agentId);
  }

  boolean end(String conversationId, Conversation.EndReason reason) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    Objects.requireNonNull(reason, "reason == null");
    Conversation c = conversations.find(conversationId).orElseThrow(() -> new SmsValidationException(
        "conversationId", "is not a known conversation: '" + Checks.abbreviate(conversationId) + "'"));
    return endConversation(c, reason) != null;
  }

  private Conversation endConversation(Conversation c, Conversation.EndReason reason) {
    Instant now = clock.instant();
    Conversation ended = writes.update(c, x -> x.isOpen() ? x.ended(reason, now) : null);
    if (ended == null) {
      return null;
    }
    agents.withdrawOffer(ended.id());
    flowChats.forget(ended.id());
    log.info("conversation {} ended: {}", ended.id(), reason);
    Mapping mapping = configuration.get().mapping(ended.mappingCode()).orElse(null);
    if (mapping != null && reason != Conversation.EndReason.OPT_OUT) {
      String text = reason == Conversation.EndReason.IDLE_TIMEOUT ? mapping.chatControl().idleTimeoutMessage()
          : mapping.chatControl().endedMessage();
      outbox.systemMessage(ended, mapping, text);
    }
    events.ended(ended);
    if (ended.target() instanceof RouteTarget.Agent a) {
      agents.release(a.agentId(), ended.id());
      agents.touch(a.agentId());
      agents.assignWaitingFor(a.agentId());
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
      outbox.systemMessage(c, mapping, mapping.chatControl().maxChatsMessage());
    }
    List<Conversation> waiting = monitor.waiting(q.queueCode());
    int position = 1 + (int) waiting.stream().takeWhile(w -> !w.id().equals(c.id())).count();
    events.queued(c, Math.min(position, waiting.size()), waiting.size());
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

  // ---------------------------------------------------------------------------------------------------- sweeping

  /** Expired offers to the queue, idle conversations ended, waiting conversations assigned; how many changed. */
  int sweep() {
    Instant now = clock.instant();
    RoutingConfiguration config = configuration.get();
    int changed = 0;
    List<AgentOffer> due;
    do {
      due = agents.takeDueOffers(now, OFFER_LEASE, OFFER_BATCH);
      for (AgentOffer offer : due) {
        if (expireOffer(offer, now)) {
          changed++;
        }
        agents.withdrawOffer(offer.conversationId());
      }
    } while (due.size() == OFFER_BATCH);
    Duration shortest = config.mappings().stream().map(m -> m.chatControl().idleTimeout())
        .min(Comparator.naturalOrder()).orElse(ChatControl.defaults().idleTimeout());
    List<Conversation> idle;
    Instant cutoff = now.minus(shortest);
    do {
      idle = conversations.findIdle(cutoff.plusNanos(1), IDLE_BATCH);
      int endedNow = 0;
      for (Conversation c : idle) {
        Duration timeout = configuration.get().mapping(c.mappingCode()).map(m -> m.chatControl().idleTimeout())
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
    for (Mapping m : configuration.get().mappings()) {
      for (BusinessNumber n : m.numbers()) {
        n.queue().ifPresent(queues::add);
      }
    }
    agents.addQueuesTo(queues); // also queues a new configuration no longer names
    agents.reconcileAll();
    changed += agents.assignWaiting(queues);
    return changed;
  }

  private boolean expireOffer(AgentOffer offer, Instant now) {
    Conversation c = conversations.find(offer.conversationId()).orElse(null);
    if (c == null || !c.isOpen() || !(c.target() instanceof RouteTarget.Agent a) || !a.agentId().equals(offer.agentId())) {
      return false;
    }
    RoutingConfiguration config = configuration.get();
    Mapping mapping = config.mapping(c.mappingCode()).orElse(null);
    RouteTarget queue = config.number(c.business()).map(BusinessNumber::target).orElse(null);
    if (mapping == null || !(queue instanceof RouteTarget.Queue)) {
      return false;
    }
    Conversation queued = writes.update(c, x -> x.queuedAt(queue, now));
    if (queued == null) {
      return false;
    }
    log.info("agent {} did not accept conversation {} in {}; moved to {}", offer.agentId(), c.id(),
        mapping.chatControl().agentAcceptTimeout(), queue.key());
    conversations.append(new TranscriptEntry(c.id(), now, TranscriptEntry.Direction.SYSTEM, Outbox.SYSTEM,
        "Agent " + offer.agentId() + " did not accept in time; moved to " + queue.key(), null));
    agents.release(offer.agentId(), c.id());
    agents.touch(offer.agentId());
    events.released(queued, offer.agentId());
    waits(agents.tryAssign(queued, mapping, Set.of(offer.agentId())), mapping, true);
    return true;
  }
}
