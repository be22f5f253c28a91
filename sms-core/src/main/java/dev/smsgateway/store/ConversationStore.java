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
}
