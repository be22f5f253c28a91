package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.compliance.RetentionStore;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.ChatLink;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RetentionStore} must show over its module's conversation and message stores: ended
 * conversations older than the cut-off go with their transcripts and chat links, open ones stay; message records last updated
 * before the cut-off go with their provider-id links. Extend it and return fresh, empty stores from
 * {@link #createStore(java.time.Clock)}.
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 */
public abstract class RetentionStoreCompatibilityKit
    extends StoreCompatibilityKit<RetentionStoreCompatibilityKit.Stores> {

  /** The stores under test: retention over this conversation and message store. */
  public record Stores(ConversationStore conversations, MessageStore messages, RetentionStore retention,
      AutoCloseable closer) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      closer.close();
    }
  }

  protected static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  protected static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  private Conversation endedConversation(String id, Instant openedAt, Instant endedAt) {
    Conversation c = store.conversations().openIfAbsent(Conversation.open(id, CUSTOMER, BUSINESS, "sales",
        new RouteTarget.Queue("sales"), openedAt));
    store.conversations().append(new TranscriptEntry(id, openedAt, TranscriptEntry.Direction.INBOUND, "customer",
        "Where is my order?", "p-" + id));
    Conversation ended = c.ended(Conversation.EndReason.AGENT, endedAt);
    assertThat(store.conversations().update(ended)).isTrue();
    return ended;
  }

  @Nested
  @DisplayName("transcripts")
  class Transcripts {

    @Test
    @DisplayName("conversations that ended before the cut-off go with their transcripts; later and open ones stay")
    void purge() {
      Instant now = clock.instant();
      endedConversation("old", now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(91)));
      endedConversation("recent", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(9)));
      Conversation open = store.conversations().openIfAbsent(Conversation.open("open", PhoneNumber.of("+14155550111"),
          BUSINESS, "sales", new RouteTarget.Queue("sales"), now.minus(Duration.ofDays(200))));

      assertThat(store.retention().purgeConversationsEndedBefore(now.minus(Duration.ofDays(90)))).isEqualTo(1);
      assertThat(store.conversations().find("old")).isEmpty();
      assertThat(store.conversations().transcript("old")).isEmpty();
      assertThat(store.conversations().find("recent")).isPresent();
      assertThat(store.conversations().transcript("recent")).hasSize(1);
      assertThat(store.conversations().find(open.id())).isPresent();
      assertThat(store.retention().purgeConversationsEndedBefore(now.minus(Duration.ofDays(90)))).isZero();
    }

    @Test
    @DisplayName("a purged conversation's chat link goes with it (found neither by conversation nor by contact)")
    void chatLinks() {
      Instant now = clock.instant();
      endedConversation("old", now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(91)));
      endedConversation("recent", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(9)));
      ChatLink old = ChatLink.of("old", "contact-old", "participant-1", "ptoken", "ctoken",
          now.plus(Duration.ofDays(1)), now.minus(Duration.ofDays(100)));
      ChatLink recent = ChatLink.of("recent", "contact-recent", "participant-2", "ptoken", "ctoken",
          now.plus(Duration.ofDays(1)), now.minus(Duration.ofDays(10)));
      assertThat(store.conversations().putChatLink(old)).isTrue();
      assertThat(store.conversations().putChatLink(recent)).isTrue();

      assertThat(store.retention().purgeConversationsEndedBefore(now.minus(Duration.ofDays(90)))).isEqualTo(1);
      assertThat(store.conversations().findChatLink("old")).isEmpty();
      assertThat(store.conversations().findChatLinkByContact("contact-old")).isEmpty();
      assertThat(store.conversations().findChatLink("recent")).contains(recent);
      assertThat(store.conversations().findChatLinkByContact("contact-recent")).contains(recent);
      // the purged conversation's contact can carry a new link
      assertThat(store.conversations().putChatLink(ChatLink.of("other", "contact-old", null, null, null, null,
          now))).isTrue();
    }
  }

  @Nested
  @DisplayName("message records")
  class Messages {

    @Test
    @DisplayName("records last updated before the cut-off go with their provider-id links; newer ones stay")
    void purge() {
      Instant now = clock.instant();
      store.messages().save(MessageRecord.accepted("old", "smpp", CUSTOMER, BUSINESS, 1,
          now.minus(Duration.ofDays(40))));
      store.messages().linkProviderIds("old", "smpp", List.of("9001"));
      store.messages().save(MessageRecord.accepted("new", "smpp", CUSTOMER, BUSINESS, 1,
          now.minus(Duration.ofDays(20))));
      store.messages().linkProviderIds("new", "smpp", List.of("9002"));

      assertThat(store.retention().purgeMessagesUpdatedBefore(now.minus(Duration.ofDays(30)))).isEqualTo(1);
      assertThat(store.messages().find("old")).isEmpty();
      assertThat(store.messages().findLink("smpp", "9001")).isEmpty();
      assertThat(store.messages().find("new")).isPresent();
      assertThat(store.messages().findLink("smpp", "9002")).isPresent();
    }
  }
}
