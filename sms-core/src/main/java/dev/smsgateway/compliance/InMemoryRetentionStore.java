package dev.smsgateway.compliance;

import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import java.time.Instant;
import java.util.Objects;

/**
 * {@link RetentionStore} over the in-memory conversation and message stores.
 *
 * <p>Thread-safe.
 */
public final class InMemoryRetentionStore implements RetentionStore {

  private final InMemoryConversationStore conversations;
  private final InMemoryMessageStore messages;

  /** Retention over these stores. */
  public InMemoryRetentionStore(InMemoryConversationStore conversations, InMemoryMessageStore messages) {
    this.conversations = Objects.requireNonNull(conversations, "conversations == null");
    this.messages = Objects.requireNonNull(messages, "messages == null");
  }

  @Override
  public int purgeConversationsEndedBefore(Instant cutoff) {
    return conversations.purgeEndedBefore(cutoff);
  }

  @Override
  public int purgeMessagesUpdatedBefore(Instant cutoff) {
    return messages.purgeUpdatedBefore(cutoff);
  }
}
