package dev.smsgateway.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

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
   * {@link #openIfAbsent(Conversation)} with the new conversation's first transcript line: stores {@code candidate}
   * and appends {@code firstLine} to its transcript, unless a conversation for its customer and business number is
   * already open; returns the open one, whichever it is. When another conversation was open, nothing is appended (the
   * caller decides where the line goes: the returned conversation's id differs from {@code candidate}'s). How an
   * agent's first message opens its conversation.
   *
   * <p>The default calls {@link #openIfAbsent(Conversation)} and, when it stored {@code candidate}, {@link #append}:
   * a reader may see the conversation before its line. Stores that can do both in one write (one statement, one
   * commit) override it, so that the conversation is never without its first line.
   *
   * @throws IllegalArgumentException if {@code firstLine} is not a line of {@code candidate}
   */
  default Conversation openIfAbsent(Conversation candidate, TranscriptEntry firstLine) {
    checkFirstLine(candidate, firstLine);
    Conversation open = openIfAbsent(candidate);
    if (open.id().equals(candidate.id())) {
      append(firstLine);
    }
    return open;
  }

  /**
   * {@link #openIfAbsent(Conversation, TranscriptEntry)} without blocking the caller where the store can: the future
   * completes with the open conversation once what was written is durable, or fails with what {@code openIfAbsent}
   * would have thrown (an {@link IllegalArgumentException} for a line of another conversation is thrown at once). The
   * default calls {@link #openIfAbsent(Conversation, TranscriptEntry)} on the calling thread and returns a completed
   * future. Stores may complete the future on a thread of their own: continue on an executor of yours, never block
   * there.
   *
   * @throws IllegalArgumentException if {@code firstLine} is not a line of {@code candidate}
   */
  default CompletableFuture<Conversation> openIfAbsentAsync(Conversation candidate, TranscriptEntry firstLine) {
    checkFirstLine(candidate, firstLine);
    try {
      return CompletableFuture.completedFuture(openIfAbsent(candidate, firstLine));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Checks the arguments of {@link #openIfAbsent(Conversation, TranscriptEntry)}, for stores that override it.
   *
   * @throws IllegalArgumentException if {@code firstLine} is not a line of {@code candidate}
   */
  static void checkFirstLine(Conversation candidate, TranscriptEntry firstLine) {
    checkLineOf(candidate, "candidate", firstLine, "firstLine");
  }

  /** Both given, and {@code line} a line of {@code c}; the messages name the arguments as the caller calls them. */
  private static void checkLineOf(Conversation c, String conversationName, TranscriptEntry line, String lineName) {
    Objects.requireNonNull(c, conversationName + " == null");
    Objects.requireNonNull(line, lineName + " == null");
    if (!line.conversationId().equals(c.id())) {
      throw new IllegalArgumentException(lineName + " belongs to conversation " + line.conversationId()
          + ", not to the " + conversationName + " " + c.id());
    }
  }

  /**
   * Replaces the stored conversation with {@code updated} if the stored version is {@code updated.version() - 1}.
   * Returns false (and changes nothing) if someone else changed it first.
   */
  boolean update(Conversation updated);

  /**
   * {@link #update} with a transcript line: replaces the stored conversation with {@code updated} exactly as
   * {@link #update} does (only if the stored version is {@code updated.version() - 1}) and, only when it did, appends
   * {@code line} to its transcript, in the same write where the store can (both or neither). Returns whether it
   * updated; false: someone else changed the conversation first, and nothing was changed or appended (the caller
   * decides where the line goes). How a router records a reply into an open conversation: the touch and the line.
   *
   * <p>The default calls {@link #update} and, when it answered true, {@link #append}: a reader may see the new version
   * before its line, and a failing append leaves the conversation updated without it. Stores that can do both in one
   * write (one statement, one commit) override it.
   *
   * @throws IllegalArgumentException if {@code line} is not a line of {@code updated}
   */
  default boolean updateAndAppend(Conversation updated, TranscriptEntry line) {
    checkLine(updated, line);
    if (!update(updated)) {
      return false;
    }
    append(line);
    return true;
  }

  /**
   * Checks the arguments of {@link #updateAndAppend}, for stores that override it.
   *
   * @throws IllegalArgumentException if {@code line} is not a line of {@code updated}
   */
  static void checkLine(Conversation updated, TranscriptEntry line) {
    checkLineOf(updated, "updated", line, "line");
  }

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

  /**
   * Appends {@code entry} unless its message id is not null and the conversation's transcript holds a line with the
   * same message id and direction already (a retried send must not double a line); returns whether it appended. The
   * default reads the {@link #transcript} and calls {@link #append}; stores override it to do it in one statement.
   */
  default boolean appendIfAbsent(TranscriptEntry entry) {
    Objects.requireNonNull(entry, "entry == null");
    if (entry.messageId() != null) {
      for (TranscriptEntry existing : transcript(entry.conversationId())) {
        if (entry.messageId().equals(existing.messageId()) && existing.direction() == entry.direction()) {
          return false;
        }
      }
    }
    append(entry);
    return true;
  }

  /**
   * {@link #appendIfAbsent}, without blocking the caller where the store can: the future completes with its result
   * once the line is stored (or found), or fails with what it would have thrown. The default runs
   * {@link #appendIfAbsent} on the calling thread and returns a completed future. Stores may complete the future on a
   * thread of their own: continue on an executor of yours, never block there.
   */
  default CompletableFuture<Boolean> appendIfAbsentAsync(TranscriptEntry entry) {
    try {
      return CompletableFuture.completedFuture(appendIfAbsent(entry));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * What a router does with a message for an open conversation, in one call. Finds the open conversation for
   * {@code customer} and {@code business} and asks {@code join} with its id and target whether to join it; when
   * {@code join} returns non-null, moves the conversation's last activity to {@code activityAt} (or keeps it, when it
   * is later already) as a new version, exactly as {@link #update} with {@link Conversation#touched} would, then
   * appends the line ({@code lineAt}, {@code direction}, {@code author}, {@code text}, {@code messageId}) to its
   * transcript, and returns what {@code join} returned.
   *
   * <p>Returns null, and changes nothing, when no conversation is open for the pair or {@code join} returned null.
   * {@code join} may be called more than once (once per attempt, when another writer changed the conversation in
   * between) and must not call this store. When the touch keeps losing to other writers (8 attempts in the default),
   * the line is still appended to the conversation last found.
   *
   * <p>The default does it with {@link #findOpen} and {@link #updateAndAppend} (the touch and the line in one write
   * where the store can; {@link #append} when the touch kept losing); stores that can do it in one round trip, or
   * without building the {@link Conversation}, override it.
   *
   * @throws NullPointerException if an argument other than {@code author} or {@code messageId} is null
   */
  default <R> R joinOpen(PhoneNumber customer, Originator business, Instant activityAt, Instant lineAt,
      TranscriptEntry.Direction direction, String author, String text, String messageId,
      BiFunction<? super String, ? super RouteTarget, ? extends R> join) {
    Objects.requireNonNull(activityAt, "activityAt == null");
    Objects.requireNonNull(lineAt, "lineAt == null");
    Objects.requireNonNull(direction, "direction == null");
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(join, "join == null");
    Optional<Conversation> found = findOpen(customer, business);
    for (int attempt = 1; found.isPresent() && found.get().isOpen(); attempt++) {
      Conversation c = found.get();
      R joined = join.apply(c.id(), c.target());
      if (joined == null) {
        return null;
      }
      Instant activity = activityAt.isAfter(c.lastActivityAt()) ? activityAt : c.lastActivityAt();
      TranscriptEntry line = new TranscriptEntry(c.id(), lineAt, direction, author, text, messageId);
      if (updateAndAppend(c.touched(activity), line)) {
        return joined;
      }
      if (attempt == 8) {
        append(line);
        return joined;
      }
      found = find(c.id());
    }
    return null;
  }

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

  /**
   * The id of the conversation, open or ended, whose transcript has the {@link TranscriptEntry.Direction#OUTBOUND}
   * line of our message {@code messageId}: how a delivery report that reaches another instance than the one that
   * sent the message finds its conversation (the DynamoDB store answers from an eventually consistent index). The
   * default finds nothing: with a store that does not implement it, such a report reaches only a conversation still
   * open, through its customer and business number.
   */
  default Optional<String> findConversationOfMessage(String messageId) {
    return Optional.empty();
  }
}
