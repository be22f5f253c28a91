package dev.smsgateway.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Conversations and their transcripts. At most one open conversation exists per (customer, business number key);
 * changes are optimistic, by {@link Conversation#version()}, so two gateway instances sharing a store never
 * overwrite each other.
 *
 * <p>Implementations are thread-safe.
 */
public interface ConversationStore {

  /**
   * Stores {@code candidate} (version 1) unless a conversation for its customer and business number is already open;
   * returns the open one, whichever it is.
   */
  Conversation openIfAbsent(Conversation candidate);

  /**
   * Replaces the stored conversation with {@code updated} if the stored version is {@code updated.version() - 1}.
   * Returns false (and changes nothing) if someone else changed it first.
   */
  boolean update(Conversation updated);

  /** The conversation with this id, open or ended. */
  Optional<Conversation> find(String id);

  /** The open conversation for this customer and business number. */
  Optional<Conversation> findOpen(PhoneNumber customer, Originator business);

  /** Open conversations handled by {@code target} (an agent's load, a queue's backlog), oldest first. */
  List<Conversation> findOpenByTarget(RouteTarget target);

  /** Open conversations whose last activity is before {@code cutoff}, oldest first, at most {@code limit}. */
  List<Conversation> findIdle(Instant cutoff, int limit);

  /** Appends a transcript line. */
  void append(TranscriptEntry entry);

  /** The transcript, in the order lines were appended. */
  List<TranscriptEntry> transcript(String conversationId);

  // Chat links (contact-center chats carrying a conversation). Default methods only so that a store written before
  // them still compiles; every store of this library implements them, and ConversationStoreCompatibilityKit checks.

  /**
   * Stores {@code link} if it is version 1 and no link exists for its conversation, or replaces the stored link if
   * the stored version is {@code link.version() - 1}. Returns false (and changes nothing) otherwise.
   *
   * @throws IllegalArgumentException if a version-1 link names a contact another conversation's link already has
   */
  default boolean putChatLink(ChatLink link) {
    throw new UnsupportedOperationException(getClass().getName() + " does not keep chat links");
  }

  /** The chat link of a conversation. */
  default Optional<ChatLink> findChatLink(String conversationId) {
    throw new UnsupportedOperationException(getClass().getName() + " does not keep chat links");
  }

  /** The chat link of a contact. */
  default Optional<ChatLink> findChatLinkByContact(String contactId) {
    throw new UnsupportedOperationException(getClass().getName() + " does not keep chat links");
  }
}
