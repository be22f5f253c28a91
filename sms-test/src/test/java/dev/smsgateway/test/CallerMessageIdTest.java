package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.OutboundSms;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.test.RecordingSmsProvider.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A message id given by the caller ({@link OutboundSms.Builder#messageId}) is the one the gateway uses everywhere, and
 * the idempotency contract holds with it: a repeated key gets the first send's outcome whatever id it carries, and a
 * send repeated with the same key and id is sent once.
 */
class CallerMessageIdTest {

  private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryMessageStore messages = new InMemoryMessageStore(clock);
  private final RecordingSmsProvider provider = RecordingSmsProvider.builder().name("primary").clock(clock).build();
  private final List<SmsGateway> gateways = new ArrayList<>();

  private SmsGateway gateway() {
    return gateway(provider);
  }

  private SmsGateway gateway(RecordingSmsProvider provider) {
    SmsGateway g = SmsGateway.builder().provider(provider).defaultRegion("US").clock(clock).scheduler(scheduler)
        .optOutStore(new InMemoryOptOutStore()).messageStore(messages).random(new Random(42))
        .closeTimeout(Duration.ZERO).build();
    g.start();
    gateways.add(g);
    return g;
  }

  @AfterEach
  void close() {
    gateways.forEach(SmsGateway::close);
  }

  private static OutboundSms sms(String messageId, String key) {
    OutboundSms.Builder b = OutboundSms.builder().to("+14155550100").from("+14155550199").body("Your order")
        .messageId(messageId);
    return key == null ? b.build() : b.idempotencyKey(key).build();
  }

  @Test
  @DisplayName("the receipt, the provider's request, the message record and status() all carry the caller's id")
  void used() {
    SmsGateway gateway = gateway();
    SendReceipt receipt = gateway.send(sms("agent-msg-1", null)).join();
    assertThat(receipt.messageId()).isEqualTo("agent-msg-1");
    assertThat(provider.lastSubmitted().messageId()).isEqualTo("agent-msg-1");
    assertThat(messages.find("agent-msg-1")).hasValueSatisfying(r -> assertThat(r.provider()).isEqualTo("primary"));
    assertThat(gateway.status("agent-msg-1")).isPresent();
  }

  @Test
  @DisplayName("a repeated key with another id gets the first send's receipt (its id) and sends nothing")
  void repeatedKeyOtherId() {
    SmsGateway gateway = gateway();
    SendReceipt first = gateway.send(sms("id-1", "order-1")).join();
    SendReceipt again = gateway.send(sms("id-2", "order-1")).join();
    assertThat(again).isEqualTo(first);
    assertThat(again.messageId()).isEqualTo("id-1");
    assertThat(provider.submitted()).hasSize(1);
    assertThat(messages.find("id-2")).isEmpty();
  }

  @Test
  @DisplayName("the same key and id while the first is pending: one send, the same outcome")
  void sameIdWhilePending() {
    SmsGateway gateway = gateway();
    provider.enqueue(Outcome.pending());
    CompletableFuture<SendReceipt> first = gateway.send(sms("id-3", "order-3"));
    CompletableFuture<SendReceipt> second = gateway.send(sms("id-3", "order-3"));
    assertThat(second).isNotDone();
    provider.releasePending();
    assertThat(second.join()).isEqualTo(first.join());
    assertThat(provider.submitted()).hasSize(1);
  }

  @Test
  @DisplayName("the same key and id through another gateway on the same message store: the first outcome, no send")
  void sameIdElsewhere() {
    SendReceipt first = gateway().send(sms("id-4", "order-4")).join();
    RecordingSmsProvider other = RecordingSmsProvider.builder().name("primary").clock(clock).build();
    SendReceipt again = gateway(other).send(sms("id-4", "order-4")).join();
    assertThat(again.messageId()).isEqualTo(first.messageId());
    assertThat(again.details()).containsEntry("duplicateOf", "id-4");
    assertThat(provider.submitted()).hasSize(1);
    assertThat(other.submitted()).isEmpty();
  }
}
