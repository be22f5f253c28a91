package dev.smsgateway.routing;

import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.TranscriptEntry;
import java.util.Optional;
import java.util.function.Function;

/**
 * The conversation of a message another instance sent, found through the shared stores: the conversation store's
 * {@link ConversationStore#findConversationOfMessage} (open or ended); for a store without it, the gateway's message
 * record gives the customer and the business number, and the open conversation between them is the one if its
 * transcript has the message. Null when the message is unknown. Thread-safe.
 */
final class SentElsewhere implements Function<String, String> {

  private final MessageStore messages;
  private final ConversationStore conversations;

  SentElsewhere(MessageStore messages, ConversationStore conversations) {
    this.messages = messages;
    this.conversations = conversations;
  }

  @Override
  public String apply(String messageId) {
    Optional<String> linked = conversations.findConversationOfMessage(messageId); // open or ended
    if (linked.isPresent()) {
      return linked.get();
    }
    Optional<MessageRecord> record = messages.find(messageId);
    if (record.isEmpty()) {
      return null;
    }
    Optional<Conversation> open = conversations.findOpen(record.get().to(), record.get().from());
    if (open.isEmpty()) {
      return null;
    }
    String id = open.get().id();
    for (TranscriptEntry e : conversations.transcript(id)) {
      if (e.direction() == TranscriptEntry.Direction.OUTBOUND && messageId.equals(e.messageId())) {
        return id;
      }
    }
    return null;
  }
}
