package dev.smsgateway.routing;

import dev.smsgateway.InboundSms;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.store.ChatLink;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way back from a contact-flow chat: when a chat has new items (Amazon Connect streams them through SNS), its
 * items after the link's cursor are read from the chat itself ({@link ContactFlowDelivery#itemsAfter}) and handled
 * in the chat's order, the cursor moving past each one in the {@link ConversationStore}. So a duplicated or
 * out-of-order notification changes nothing (the chat's own order wins and each item is handled once), and any
 * instance sharing the store can handle any chat. Agent messages (and system messages, when the delivery passes them)
 * go to the customer as SMS through the mapping's provider, with the gateway's opt-out check, throttling and delivery
 * reports; each SMS has the idempotency key {@code chat:<contact>:<item>}, so an item two instances handle at once is
 * sent once. Participant events go into the transcript; the chat's end ends the conversation.
 *
 * <p>Failures: an SMS the gateway certainly refused (opted out, rejected, invalid) is recorded in the transcript and
 * logged, and the cursor moves on; a retryable failure (throttling, transport) stops here, leaves the cursor before
 * the item, and throws, so that the notification is delivered again.
 *
 * <p>Thread-safe; catch-ups of one contact are serialized in this instance.
 */
final class ContactFlowReplies {

  private static final Logger log = LoggerFactory.getLogger(ContactFlowReplies.class);
  private static final int LOCK_STRIPES = 64;
  private static final int ATTEMPTS = 8;
  private static final String SYSTEM = "system";

  /** Ends a conversation as the service does (messages, listeners, agent capacity). */
  interface Ender {
    boolean end(String conversationId, Conversation.EndReason reason);
  }

  private final ContactFlowDelivery flows;
  private final ContactFlowChats chats;
  private final ConversationStore store;
  private final Clock clock;
  private final Supplier<RoutingConfiguration> configuration;
  private final Supplier<MessageSender> sender;
  private final BiConsumer<String, String> linkMessage;
  private final BiConsumer<Conversation, InboundSms> customerMessage;
  private final Ender ender;
  private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

  ContactFlowReplies(ContactFlowDelivery flows, ContactFlowChats chats, ConversationStore store, Clock clock,
      Supplier<RoutingConfiguration> configuration, Supplier<MessageSender> sender,
      BiConsumer<String, String> linkMessage, BiConsumer<Conversation, InboundSms> customerMessage, Ender ender) {
    this.flows = flows;
    this.chats = chats;
    this.store = store;
    this.clock = clock;
    this.configuration = configuration;
    this.sender = sender;
    this.linkMessage = linkMessage;
    this.customerMessage = customerMessage;
    this.ender = ender;
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /**
   * Handles the contact's new items.
   *
   * @return how many items this call handled; 0 for a contact no conversation has
   * @throws SmsException when an item could not be handled yet (retry later: nothing after it was handled)
   */
  int catchUp(String contactId) {
    if (flows == null) {
      return 0;
    }
    ReentrantLock lock = locks[Math.floorMod(contactId.hashCode(), LOCK_STRIPES)];
    lock.lock();
    try {
      return catchUpLocked(contactId);
    } finally {
      lock.unlock();
    }
  }

  private int catchUpLocked(String contactId) {
    ChatLink link = store.findChatLinkByContact(contactId).orElse(null);
    if (link == null || !link.hasConnection()) {
      log.debug("contact {} carries no conversation here; ignored", contactId);
      return 0;
    }
    int handled = 0;
    pages:
    while (true) {
      ChatItems page = ContactFlowChats.await(flows.itemsAfter(link, link.cursor()), "reading a contact flow chat");
      if (page.renewed() != null) {
        chats.renewed(link, page.renewed());
        link = store.findChatLink(link.conversationId()).orElse(link);
      }
      if (page.items().isEmpty()) {
        return handled;
      }
      for (ChatItems.Item item : page.items()) {
        Runnable afterwards = handle(link, item);
        ChatLink moved = advance(link, item.id());
        if (moved == null) {
          // Another instance moved the cursor (and tells the listeners of what it handled): continue from there.
          link = store.findChatLink(link.conversationId()).orElseThrow();
          continue pages;
        }
        link = moved;
        if (afterwards != null) {
          afterwards.run();
        }
        handled++;
      }
    }
  }

  /** Moves the cursor from where {@code link} has it to {@code itemId}; null if someone else moved it first. */
  private ChatLink advance(ChatLink link, String itemId) {
    ChatLink current = link;
    for (int i = 0; i < ATTEMPTS; i++) {
      ChatLink next = current.withCursor(itemId, clock.instant());
      if (store.putChatLink(next)) {
        return next;
      }
      current = store.findChatLink(link.conversationId()).orElse(null);
      if (current == null || !java.util.Objects.equals(current.cursor(), link.cursor())) {
        return null;
      }
    }
    return null;
  }

  /** Handles one item; returns what to do once the cursor moved past it here (null: nothing). */
  private Runnable handle(ChatLink link, ChatItems.Item item) {
    Conversation c = store.find(link.conversationId()).orElse(null);
    if (c == null) {
      return null;
    }
    switch (item.kind()) {
      case MESSAGE -> {
        if (item.text() == null || item.text().isBlank()) {
          return null;
        }
        if (carriedByContactCenter(c)) {
          // Amazon Connect sends the chat's messages to the customer itself, and receives the replies on its number.
          if ("CUSTOMER".equals(item.role())) {
            return customerWrote(link, c, item);
          }
        } else if (!"CUSTOMER".equals(item.role())) {
          relay(link, c, item);
        }
      }
      case JOINED -> {
        if (!"CUSTOMER".equals(item.role())) {
          note(c, name(item) + " joined the chat");
        }
      }
      case LEFT -> {
        if (!"CUSTOMER".equals(item.role())) {
          note(c, name(item) + " left the chat");
        }
      }
      case ENDED -> ended(link, c);
      case OTHER -> { }
    }
    return null;
  }

  /** Whether the conversation's number belongs to the contact center (it sends and receives the SMS itself). */
  private boolean carriedByContactCenter(Conversation c) {
    return configuration.get().number(c.business()).flatMap(BusinessNumber::connectPhoneNumberArn).isPresent();
  }

  /**
   * The customer replied in a chat the contact center carries (an agent-originated chat): the message goes into the
   * transcript and to the listeners as the conversation's inbound message (provider {@code contact-flow}, message
   * id {@code chat:<contact>:<item>}), once: the line is written unless there, and the listeners are told by the
   * instance whose cursor moves past the item.
   */
  private Runnable customerWrote(ChatLink link, Conversation c, ChatItems.Item item) {
    String messageId = ContactLimits.truncate("chat:" + link.contactId() + ":" + item.id(), 200);
    boolean recorded = store.transcript(c.id()).stream().anyMatch(e -> e.direction()
        == TranscriptEntry.Direction.INBOUND && messageId.equals(e.messageId()));
    if (recorded) {
      return null;
    }
    Instant now = clock.instant();
    InboundSms sms = InboundSms.builder().provider(OutboundChats.PROVIDER).providerMessageId(messageId)
        .from(c.customer()).to(c.business()).body(item.text()).receivedAt(item.at() == null ? now : item.at())
        .attributes(java.util.Map.of("contactId", link.contactId())).build();
    store.append(new TranscriptEntry(c.id(), sms.receivedAt(), TranscriptEntry.Direction.INBOUND, "customer",
        item.text(), messageId));
    touch(c.id(), now);
    return !c.isOpen() ? null : () -> customerMessage.accept(store.find(c.id()).orElse(c), sms);
  }

  private static String name(ChatItems.Item item) {
    String role = item.role() == null ? "participant" : item.role().toLowerCase(java.util.Locale.ROOT);
    return item.displayName() == null ? role : role + " " + item.displayName();
  }

  private void note(Conversation c, String text) {
    store.append(new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.SYSTEM, SYSTEM, text, null));
  }

  private void relay(ChatLink link, Conversation c, ChatItems.Item item) {
    if (!c.isOpen()) {
      log.info("conversation {} ended; chat item {} of contact {} not sent", c.id(), item.id(), link.contactId());
      return;
    }
    Mapping mapping = configuration.get().mapping(c.mappingCode()).orElse(null);
    String author = item.displayName() == null ? (item.role() == null ? "agent" : item.role()) : item.displayName();
    OutboundSms.Builder sms = OutboundSms.builder().to(c.customer()).from(c.business()).body(item.text())
        .idempotencyKey(ContactLimits.truncate("chat:" + link.contactId() + ":" + item.id(), 200))
        .attribute("conversationId", c.id()).attribute("contactId", link.contactId());
    if (mapping != null) {
      sms.provider(mapping.provider());
    }
    MessageSender s = sender.get();
    SendReceipt receipt;
    try {
      receipt = ContactFlowChats.await(s.send(sms.build()), "sending a chat message as SMS");
    } catch (SmsException e) {
      if (e.retryable()) {
        log.warn("conversation {}: chat item {} not sent yet ({}); the notification will be retried", c.id(),
            item.id(), e.getClass().getSimpleName());
        throw e;
      }
      log.warn("conversation {}: chat item {} of {} not sent: {}", c.id(), item.id(), author, e.getMessage());
      note(c, "Message from " + author + " not sent: " + e.getClass().getSimpleName());
      return;
    }
    Instant now = clock.instant();
    // Another instance handling the same item at once got the same receipt (the idempotency key): one line.
    boolean recorded = store.transcript(c.id()).stream().anyMatch(e -> e.direction()
        == TranscriptEntry.Direction.OUTBOUND && receipt.messageId().equals(e.messageId()));
    if (!recorded) {
      store.append(new TranscriptEntry(c.id(), now, TranscriptEntry.Direction.OUTBOUND, author, item.text(),
          receipt.messageId()));
    }
    linkMessage.accept(receipt.messageId(), c.id());
    touch(c.id(), now);
  }

  private void touch(String conversationId, Instant now) {
    for (int i = 0; i < ATTEMPTS; i++) {
      Optional<Conversation> c = store.find(conversationId);
      if (c.isEmpty() || !c.get().isOpen() || !now.isAfter(c.get().lastActivityAt())) {
        return;
      }
      if (store.update(c.get().touched(now))) {
        return;
      }
    }
  }

  private void ended(ChatLink link, Conversation c) {
    ChatLink current = link;
    for (int i = 0; i < ATTEMPTS && current != null && current.open(); i++) {
      if (store.putChatLink(current.closed(clock.instant()))) {
        break;
      }
      current = store.findChatLink(link.conversationId()).orElse(null);
    }
    if (c.isOpen() && ender.end(c.id(), Conversation.EndReason.AGENT)) {
      log.info("conversation {} ended with its chat (contact {})", c.id(), link.contactId());
    }
  }
}
