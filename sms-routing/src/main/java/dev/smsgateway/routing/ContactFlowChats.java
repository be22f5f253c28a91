package dev.smsgateway.routing;

import dev.smsgateway.InboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.route.RouteDecision;
import dev.smsgateway.store.ChatLink;
import dev.smsgateway.store.ConversationStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's side of contact flows (Amazon Connect): one chat per conversation. The first inbound message of a
 * conversation opens the chat ({@link ContactFlowDelivery#openChat}) and its {@link ChatLink} goes into the
 * {@link ConversationStore}, so that every instance sharing the store puts the next messages into the same chat
 * ({@link ContactFlowDelivery#sendMessage}); both are waited for, so that a failure makes the provider deliver the
 * message again. An agent's outbound message on a Connect-owned number starts an outbound chat. When the conversation
 * ends on this side, the chat's customer side ends too ({@link ContactFlowDelivery#endChat}).
 *
 * <p>Thread-safe.
 */
final class ContactFlowChats {

  private static final Logger log = LoggerFactory.getLogger(ContactFlowChats.class);
  static final Duration FLOW_TIMEOUT = Duration.ofSeconds(20);
  private static final int PUT_ATTEMPTS = 8;

  private final ContactFlowDelivery flows;
  private final ConversationStore store;
  private final Clock clock;
  private final OutboundChats outbound;

  ContactFlowChats(ContactFlowDelivery flows, ConversationStore store, Clock clock) {
    this.flows = flows;
    this.store = store;
    this.clock = clock;
    this.outbound = flows == null ? null : new OutboundChats(flows, this, store, clock);
  }

  /** Agent-originated chats: joining them, follow-ups into them; null without a {@link ContactFlowDelivery}. */
  OutboundChats outbound() {
    return outbound;
  }

  /**
   * An agent's message in an agent-originated chat goes into the chat; null when {@code conversationId} is not one.
   *
   * @throws dev.smsgateway.SmsValidationException when the agent did not write in it, or its chat ended
   */
  CompletableFuture<dev.smsgateway.SendReceipt> followUp(String agentId, String conversationId, String text) {
    return outbound == null ? null : outbound.followUp(agentId, conversationId, text);
  }

  /** @throws SmsConfigurationException when the service has no {@link ContactFlowDelivery} */
  ContactFlowDelivery require(Mapping mapping) {
    if (flows == null) {
      throw new SmsConfigurationException("mapping " + (mapping == null ? "?" : mapping.code())
          + " delivers to a contact flow, but the ConversationService has no ContactFlowDelivery");
    }
    return flows;
  }

  /** Starts the outbound chat of an agent's message from a Connect-owned number; completes with the contact id. */
  CompletableFuture<String> startOutbound(String agent, Mapping mapping, BusinessNumber number, PhoneNumber customer,
      String text, String idempotencyKey) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(RoutingEngine.ATTR_CUSTOMER_NUMBER, customer.e164());
    attributes.put(RoutingEngine.ATTR_BUSINESS_NUMBER, number.number().address());
    attributes.put(RoutingEngine.ATTR_BUSINESS_NAME, number.displayName());
    attributes.put(RoutingEngine.ATTR_MAPPING, mapping.code());
    attributes.put(RoutingEngine.ATTR_ORIGINATING_AGENT, agent);
    attributes.put(RoutingEngine.ATTR_ORIGINAL_TEXT, text);
    return require(mapping).startOutboundChat(OutboundChat.builder()
        .contactFlowId(number.contactFlowId().orElseThrow())
        .sourcePhoneNumberArn(number.connectPhoneNumberArn().orElseThrow())
        .customer(customer)
        .initialSystemMessage(text)
        .attributes(attributes)
        .clientToken(idempotencyKey)
        .displayName(number.displayName())
        .chatDuration(mapping.chatControl().chatDuration().orElse(null))
        .build());
  }

  /**
   * Hands an inbound message to its conversation's chat: into the open chat when the conversation has one, else a
   * new chat. Throws so that the provider redelivers; a redelivered message is added once (its client token is the
   * provider's message id).
   */
  void deliver(RouteDecision.ToContactFlow flow, InboundSms sms, Mapping mapping) {
    ContactFlowDelivery delivery = require(mapping);
    String conversationId = flow.conversationId();
    // The same message delivered again (after a failure here) must not start a second contact or add a second line.
    String clientToken = ContactLimits.truncate("sms:" + sms.provider() + ":" + sms.providerMessageId(),
        ContactLimits.MAX_CLIENT_TOKEN);
    Optional<ChatLink> existing = store.findChatLink(conversationId);
    if (existing.isPresent() && existing.get().open() && existing.get().hasConnection()) {
      // A chat message has at least one character: an SMS without text (media only) is marked as such.
      sendInto(delivery, existing.get(), sms.body().isEmpty() ? "[no text]" : sms.body(), clientToken);
      return;
    }
    InboundChat chat = InboundChat.builder()
        .contactFlowId(flow.contactFlowId())
        .customer(sms.from())
        .business(sms.to())
        .text(sms.body())
        .attributes(flow.attributes())
        .clientToken(clientToken)
        .relatedContactId(existing.map(ChatLink::contactId).orElse(null))
        .chatDuration(mapping.chatControl().chatDuration().orElse(null))
        .build();
    ChatConnection opened = await(delivery.openChat(chat), "opening a contact flow chat");
    if (existing.isPresent()) {
      // A conversation whose delivery keeps no connection: each message is a contact related to the first one.
      return;
    }
    ChatLink link = ChatLink.of(conversationId, opened.contactId(), opened.participantId(),
        opened.participantToken(), opened.connectionToken(), opened.connectionExpiresAt(), clock.instant());
    if (store.putChatLink(link)) {
      log.info("conversation {} is carried by contact {}", conversationId, opened.contactId());
      return;
    }
    // Another instance opened the conversation's chat first: the message goes into that chat, ours is closed.
    ChatLink winner = store.findChatLink(conversationId).orElseThrow();
    log.info("conversation {} already has contact {}; contact {} is stopped", conversationId, winner.contactId(),
        opened.contactId());
    if (opened.connectionToken() != null) {
      ChatLink ours = ChatLink.of(conversationId, opened.contactId(), opened.participantId(),
          opened.participantToken(), opened.connectionToken(), opened.connectionExpiresAt(), clock.instant());
      delivery.endChat(ours);
    }
    if (winner.open() && winner.hasConnection()) {
      sendInto(delivery, winner, sms.body().isEmpty() ? "[no text]" : sms.body(), clientToken);
    }
  }

  private void sendInto(ContactFlowDelivery delivery, ChatLink link, String text, String clientToken) {
    ChatConnection after = await(delivery.sendMessage(link, text, clientToken), "sending into a contact flow chat");
    if (after != null && after.connectionToken() != null && !after.connectionToken().equals(link.connectionToken())) {
      renewed(link, after);
    }
  }

  /** Stores a renewed connection (another instance may have moved the link meanwhile: retried on the fresh one). */
  void renewed(ChatLink link, ChatConnection after) {
    ChatLink current = link;
    for (int i = 0; i < PUT_ATTEMPTS && current != null; i++) {
      if (store.putChatLink(current.withConnection(after.connectionToken(), after.connectionExpiresAt(),
          clock.instant()))) {
        return;
      }
      current = store.findChatLink(link.conversationId()).orElse(null);
    }
  }

  /**
   * The conversation ended on this side: the chat's customer side ends too (idle timeout, opt-out, the application
   * ended it), unless the chat already ended. Never throws; a failure is logged (the chat then ends by its own
   * duration).
   */
  void forget(String conversationId) {
    if (flows == null) {
      return;
    }
    ChatLink link;
    try {
      link = store.findChatLink(conversationId).orElse(null);
      if (link == null || !link.open() || !link.hasConnection()) {
        return;
      }
      ChatLink closed = link.closed(clock.instant());
      if (!store.putChatLink(closed)) {
        return; // the way back closed it (the chat ended there) or another instance is ending it
      }
    } catch (RuntimeException e) {
      log.warn("conversation {}: its chat link could not be read or closed: {}", conversationId, e.toString());
      return;
    }
    flows.endChat(link).whenComplete((ok, error) -> {
      if (error != null) {
        log.warn("conversation {}: ending contact {} failed: {}", conversationId, link.contactId(),
            error.toString());
      } else {
        log.info("conversation {}: contact {} ended", conversationId, link.contactId());
      }
    });
  }

  static <T> T await(CompletableFuture<T> future, String what) {
    try {
      // Waited for on purpose: the provider must not be told the message was taken before the flow has it.
      return future.get(FLOW_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SmsTransportException("interrupted while " + what, null, null, true, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof SmsException se ? se
          : new SmsTransportException(what + " failed: " + cause, null, null, true, cause);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new SmsTransportException(what + " timed out after " + FLOW_TIMEOUT, null, null, true, e);
    }
  }
}
