package dev.smsgateway.store.jdbc;

import dev.smsgateway.compliance.RetentionStore;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Objects;

/**
 * {@link RetentionStore} on JDBC: deletes ended conversations with their transcript lines and chat links, and message
 * records with their provider-id links, each in one transaction.
 *
 * <p>Thread-safe.
 */
final class JdbcRetentionStore implements RetentionStore {

  private final Jdbc jdbc;

  JdbcRetentionStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public int purgeConversationsEndedBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    long at = Jdbc.nanos(cutoff);
    return jdbc.inTransaction("retention conversations", c -> {
      try (PreparedStatement lines = c.prepareStatement("DELETE FROM sms_transcript WHERE conversation_id IN"
          + " (SELECT id FROM sms_conversation WHERE ended_at IS NOT NULL AND ended_at < ?)");
          PreparedStatement chats = c.prepareStatement("DELETE FROM sms_chat_link WHERE conversation_id IN"
              + " (SELECT id FROM sms_conversation WHERE ended_at IS NOT NULL AND ended_at < ?)");
          PreparedStatement conversations = c.prepareStatement(
              "DELETE FROM sms_conversation WHERE ended_at IS NOT NULL AND ended_at < ?")) {
        lines.setLong(1, at);
        lines.executeUpdate();
        chats.setLong(1, at);
        chats.executeUpdate();
        conversations.setLong(1, at);
        return conversations.executeUpdate();
      }
    });
  }

  @Override
  public int purgeMessagesUpdatedBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    long at = Jdbc.nanos(cutoff);
    return jdbc.inTransaction("retention messages", c -> {
      try (PreparedStatement links = c.prepareStatement("DELETE FROM sms_provider_link WHERE message_id IN"
          + " (SELECT message_id FROM sms_message WHERE updated_at < ?)");
          PreparedStatement messages = c.prepareStatement("DELETE FROM sms_message WHERE updated_at < ?")) {
        links.setLong(1, at);
        links.executeUpdate();
        messages.setLong(1, at);
        return messages.executeUpdate();
      }
    });
  }
}
