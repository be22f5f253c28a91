package dev.smsgateway.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import dev.smsgateway.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code updateAndAppend} on DynamoDB (DynamoDB Local) is one transaction: the conversation's new version and its line
 * are stored both or neither. (The conversation store kit checks the rest of the contract on every engine.)
 */
class DynamoDbConversationUpdateAndAppendTest {

  private static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");
  private static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  private final String table = LocalDynamoDb.newTable();
  private final ConversationStore store = DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table)
      .clock(clock).build().conversationStore();

  @AfterEach
  void dropTable() {
    LocalDynamoDb.deleteTable(table);
  }

  private Conversation opened() {
    Conversation c = Conversation.open("c-1", CUSTOMER, BUSINESS, "sales", new RouteTarget.Agent("alice"),
        clock.instant());
    store.openIfAbsent(c);
    clock.advanceMillis(1000);
    return c;
  }

  @Test
  @DisplayName("a line DynamoDB refuses (an item over its 400 KB limit) leaves the conversation as it was")
  void bothOrNeither() {
    Conversation c = opened();
    TranscriptEntry huge = new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.INBOUND, "customer",
        "x".repeat(410 * 1024), "m-1");

    assertThatThrownBy(() -> store.updateAndAppend(c.touched(clock.instant()), huge))
        .isInstanceOf(SmsTransportException.class);
    assertThat(store.find(c.id()).orElseThrow()).as("not touched").isEqualTo(c);
    assertThat(store.transcript(c.id())).isEmpty();
  }

  @Test
  @DisplayName("after a refused line (its number taken, its write lost) the next lines read back in the order appended")
  void orderAfterARefusedLine() {
    Conversation c = opened();
    TranscriptEntry first = new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.INBOUND,
        "customer", "first", "m-1");
    Conversation v2 = c.touched(clock.instant());
    assertThat(store.updateAndAppend(v2, first)).isTrue();
    TranscriptEntry huge = new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.INBOUND, "customer",
        "x".repeat(410 * 1024), "m-2");
    assertThatThrownBy(() -> store.updateAndAppend(v2.touched(clock.instant()), huge))
        .isInstanceOf(SmsTransportException.class);
    TranscriptEntry second = new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.INBOUND,
        "customer", "second", "m-3");
    assertThat(store.updateAndAppend(v2.touched(clock.instant()), second)).isTrue();
    store.append(new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.SYSTEM, null, "third", null));

    assertThat(store.transcript(c.id())).extracting(TranscriptEntry::text).containsExactly("first", "second", "third");
    assertThat(store.find(c.id()).orElseThrow().version()).isEqualTo(3);
  }
}
