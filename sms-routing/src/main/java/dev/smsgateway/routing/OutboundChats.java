package dev.smsgateway.routing;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.store.ChatLink;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent-originated chats on numbers the contact center owns (Amazon Connect: StartOutboundChatContact): after the
 * contact starts, the gateway joins its chat with a participant of its own ({@link ContactFlowDelivery#joinChat}) and
 * keeps that participant's connection as the conversation's {@link ChatLink}, so that every instance sharing the
 * store puts the agent's follow-up messages into that chat ({@link ContactFlowDelivery#sendMessage}; the contact
 * center sends them to the customer), and a customer SMS that reaches the gateway for the conversation joins it
 * instead of starting another contact. The customer's replies in the chat come back through the way back
 * ({@link ContactFlowReplies}).
 *
 * <p>An agent-originated chat is recognized by its transcript: the originating message's line has the contact id as
 * its message id. Only an agent who wrote in that chat (the originator, or one who wrote again through
 * {@link ConversationService#startOutbound}) sends follow-ups with {@link ConversationService#send}.
 *
 * <p>Thread-safe.
 */
final class OutboundChats {

  private static final Logger log = LoggerFactory.getLogger(OutboundChats.class);
  /** The provider name on receipts of messages put into a contact-flow chat. */
  static final String PROVIDER = "contact-flow";

  private final ContactFlowDelivery flows;
  private final ContactFlowChats chats;
  private final ConversationStore store;
  private final Clock clock;

  OutboundChats(ContactFlowDelivery flows, ContactFlowChats chats, ConversationStore store, Clock clock) {
    this.flows = flows;
    this.chats = chats;
    this.store = store;
    this.clock = clock;
  }

  /** Joins the outbound chat of {@code contactId} as the gateway's participant, named after the agent. */
  CompletableFuture<ChatConnection> join(String contactId, String agent) {
    String name = agent.length() > ContactLimits.MAX_DISPLAY_NAME ? agent.substring(0, ContactLimits.MAX_DISPLAY_NAME)
        : agent;
    // One participant per contact, whichever instance (or retry) joins it.
    return flows.joinChat(contactId, name, ContactLimits.truncate("join:" + contactId,
        ContactLimits.MAX_CLIENT_TOKEN));
  }

  /** Records the joined chat as the conversation's link (kept unless the conversation has one). */
  void link(String conversationId, ChatConnection joined) {
    try {
      ChatLink link = ChatLink.of(conversationId, joined.contactId(), joined.participantId(),
          joined.participantToken(), joined.connectionToken(), joined.connectionExpiresAt(), clock.instant());
      if (!store.putChatLink(link)) {
        log.warn("conversation {} already has a chat; contact {} is not recorded", conversationId,
            joined.contactId());
      }
    } catch (RuntimeException e) {
      log.warn("conversation {}: contact {} not recorded: {}", conversationId, joined.contactId(), e.toString());
    }
  }

  /**
   * An agent writes again in an agent-originated chat ({@link ConversationService#send}): the message goes into the
   * chat. Null when the conversation is not such a chat (the caller goes on as for any conversation).
   */
  CompletableFuture<SendReceipt> followUp(String agentId, String conversationId, String text) {
    Conversation c = store.find(conversationId).orElse(null);
    if (c == null || !c.isOpen() || !(c.target() instanceof dev.smsgateway.route.RouteTarget.ContactFlow)) {
      return null;
    }
    ChatLink link = store.findChatLink(conversationId).orElse(null);
    if (link == null || !link.hasConnection()) {
      return null;
    }
    List<TranscriptEntry> lines = store.transcript(conversationId);
    if (!originated(lines, link)) {
      return null;
    }
    if (!link.open()) {
      throw new SmsValidationException("conversationId", "its chat has ended: '" + conversationId + "'");
    }
    if (lines.stream().noneMatch(e -> e.direction() == TranscriptEntry.Direction.OUTBOUND
        && agentId.equals(e.author()))) {
      throw new SmsValidationException("agentId", "did not write in the chat of conversation " + conversationId
          + ": '" + Checks.abbreviate(agentId) + "'");
    }
    return into(c, link, agentId, text, null);
  }

  /**
   * An agent starts an outbound conversation where one is open in an agent-originated chat: the message goes into
   * that chat instead of starting another contact. Null when there is no such open chat.
   */
  CompletableFuture<OutboundConversation> intoOpenChat(String agent, PhoneNumber customer, Originator business,
      String text, String idempotencyKey) {
    Conversation c = store.findOpen(customer, business).orElse(null);
    if (c == null) {
      return null;
    }
    ChatLink link = store.findChatLink(c.id()).orElse(null);
    if (link == null || !link.open() || !link.hasConnection() || !originated(store.transcript(c.id()), link)) {
      return null;
    }
    return into(c, link, agent, text, idempotencyKey)
        .thenApply(receipt -> new OutboundConversation(c.id(), receipt.messageId(), link.contactId()));
  }

  /** Whether the chat of {@code link} was started by an agent (StartOutboundChatContact) for this conversation. */
  private static boolean originated(List<TranscriptEntry> lines, ChatLink link) {
    return lines.stream().anyMatch(e -> e.direction() == TranscriptEntry.Direction.OUTBOUND
        && link.contactId().equals(e.messageId()));
  }

  private CompletableFuture<SendReceipt> into(Conversation c, ChatLink link, String agent, String text,
      String idempotencyKey) {
    String messageId = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
    // The same message sent again (a retry after a timeout) is added to the chat once.
    String clientToken = ContactLimits.truncate("agent:" + messageId, ContactLimits.MAX_CLIENT_TOKEN);
    Instant now = clock.instant();
    return flows.sendMessage(link, text, clientToken).thenApply(after -> {
      if (after != null && after.connectionToken() != null
          && !after.connectionToken().equals(link.connectionToken())) {
        chats.renewed(link, after);
      }
      boolean recorded = store.transcript(c.id()).stream().anyMatch(e -> e.direction()
          == TranscriptEntry.Direction.OUTBOUND && messageId.equals(e.messageId()));
      if (!recorded) {
        store.append(new TranscriptEntry(c.id(), now, TranscriptEntry.Direction.OUTBOUND, agent, text, messageId));
      }
      touch(c.id(), clock.instant());
      log.info("agent {} wrote into contact {} (conversation {})", agent, link.contactId(), c.id());
      return new SendReceipt(messageId, PROVIDER, List.of(), 1, now, Map.of("contactId", link.contactId()));
    });
  }

  private void touch(String conversationId, Instant now) {
    for (int i = 0; i < 8; i++) {
      Optional<Conversation> c = store.find(conversationId);
      if (c.isEmpty() || !c.get().isOpen() || !now.isAfter(c.get().lastActivityAt())) {
        return;
      }
      if (store.update(c.get().touched(now))) {
        return;
      }
    }
  }
}
