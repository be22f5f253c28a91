package dev.smsgateway.store;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The chat links of {@link InMemoryConversationStore}: each conversation's link, and which conversation a contact
 * belongs to. Versioned as {@link ConversationStore#putChatLink} says: version 1 creates, each later version replaces
 * the one before it for the same contact. Thread-safe (one monitor; links are few and off the router's path).
 */
final class InMemoryChatLinks {

  private final Map<String, ChatLink> byConversation = new HashMap<>();
  private final Map<String, String> conversationByContact = new HashMap<>();

  synchronized boolean put(ChatLink link) {
    Objects.requireNonNull(link, "link == null");
    ChatLink stored = byConversation.get(link.conversationId());
    if (link.version() == 1) {
      if (stored != null) {
        return false;
      }
      String other = conversationByContact.get(link.contactId());
      if (other != null && !other.equals(link.conversationId())) {
        throw new IllegalArgumentException("contact " + link.contactId() + " is linked to another conversation");
      }
    } else if (stored == null || stored.version() != link.version() - 1
        || !stored.contactId().equals(link.contactId())) {
      return false;
    }
    byConversation.put(link.conversationId(), link);
    conversationByContact.put(link.contactId(), link.conversationId());
    return true;
  }

  /** Drops a conversation's link; its contact no longer finds it either. */
  synchronized void drop(String conversationId) {
    ChatLink link = byConversation.remove(conversationId);
    if (link != null) {
      conversationByContact.remove(link.contactId(), conversationId);
    }
  }

  synchronized Optional<ChatLink> find(String conversationId) {
    return Optional.ofNullable(byConversation.get(Objects.requireNonNull(conversationId, "conversationId == null")));
  }

  synchronized Optional<ChatLink> findByContact(String contactId) {
    String conversationId = conversationByContact.get(Objects.requireNonNull(contactId, "contactId == null"));
    return conversationId == null ? Optional.empty() : Optional.ofNullable(byConversation.get(conversationId));
  }
}
