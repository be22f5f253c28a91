package dev.smsgateway.routing;

import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to the conversation store that other instances may race with: optimistic updates retried on a fresh read,
 * activity touches, and transcript appends that a retried send must not double. Thread-safe (the store is).
 */
final class ConversationWrites {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
  private static final int UPDATE_ATTEMPTS = 8;

  private final ConversationStore conversations;

  ConversationWrites(ConversationStore conversations) {
    this.conversations = conversations;
  }

  /** Applies {@code change} optimistically; null from {@code change} means "nothing to do". Returns the stored result. */
  Conversation update(Conversation c, UnaryOperator<Conversation> change) {
    Conversation current = c;
    for (int i = 0; i < UPDATE_ATTEMPTS; i++) {
      Conversation next = change.apply(current);
      if (next == null) {
        return null;
      }
      if (conversations.update(next)) {
        return next;
      }
      Optional<Conversation> reread = conversations.find(current.id());
      if (reread.isEmpty()) {
        return null;
      }
      current = reread.get();
    }
    log.warn("conversation {} changed concurrently {} times; giving up this change", c.id(), UPDATE_ATTEMPTS);
    return null;
  }

  /** Marks the conversation active at {@code now}, unless it ended or was active later. */
  void touch(String conversationId, Instant now) {
    conversations.find(conversationId).ifPresent(c -> update(c, x -> x.isOpen() && now.isAfter(x.lastActivityAt())
        ? x.touched(now) : null));
  }

  /** Appends {@code entry} unless the transcript holds the same message in the same direction already. */
  void appendOnce(TranscriptEntry entry) {
    conversations.appendIfAbsent(entry);
  }

  /** {@link #appendOnce} without blocking where the store can; completes once the line is stored (or found). */
  CompletableFuture<Boolean> appendOnceAsync(TranscriptEntry entry) {
    return conversations.appendIfAbsentAsync(entry);
  }
}
