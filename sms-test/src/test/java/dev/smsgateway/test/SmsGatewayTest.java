package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.RetryPolicy;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.test.RecordingSmsProvider.Outcome;
import dev.smsgateway.text.Encoding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * SmsGateway on a virtual clock and a manual scheduler: nothing sleeps, every delay is exact.
 *
 * <p>Longer than the ~600 lines a file should hold (about 760): one nested class per concern of the gateway's
 * contract (accepting, retries, failover, idempotency, opt-out, throttling, reports, inbound, lifecycle), all built on
 * the same virtual clock, scheduler and recording provider set up here; split apart, each file would repeat that set-up.
 */
class SmsGatewayTest {

  static final String CUSTOMER = "+14155550100";
  static final PhoneNumber CUSTOMER_NUMBER = PhoneNumber.of(CUSTOMER);
  static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550199"));

  final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final InMemoryOptOutStore optOuts = new InMemoryOptOutStore();
  final InMemoryMessageStore messages = new InMemoryMessageStore(clock);
  final Events events = new Events();
  RecordingSmsProvider primary;
  RecordingSmsProvider secondary;
  SmsGateway gateway;

  @BeforeEach
  void setUp() {
    primary = RecordingSmsProvider.builder().name("primary").clock(clock).build();
    secondary = RecordingSmsProvider.builder().name("secondary").clock(clock).build();
  }

  @AfterEach
  void tearDown() {
    if (gateway != null) {
      gateway.close();
    }
  }

  SmsGateway start(Consumer<SmsGateway.Builder> config) {
    SmsGateway.Builder b = SmsGateway.builder().provider(primary).provider(secondary).defaultRegion("US")
        .clock(clock).scheduler(scheduler).optOutStore(optOuts).messageStore(messages).random(new Random(42))
        .listener(events).closeTimeout(Duration.ZERO); // the manual scheduler never runs while close() waits
    config.accept(b);
    gateway = b.build();
    gateway.start();
    return gateway;
  }

  SmsGateway start() {
    return start(b -> {});
  }

  static OutboundSms sms(String text) {
    return OutboundSms.builder().to(CUSTOMER).from("+14155550199").body(text).build();
  }

  static SmsException failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    Throwable[] cause = new Throwable[1];
    f.whenComplete((r, e) -> cause[0] = e);
    Throwable e = cause[0];
    while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    assertThat(e).isInstanceOf(SmsException.class);
    return (SmsException) e;
  }

  @Nested
  @DisplayName("accepting a message")
  class Accepting {

    @Test
    @DisplayName("numbers are normalized with the default region, and a per-message region overrides it")
    void normalizes() {
      start();
      SendReceipt r = gateway.send(OutboundSms.builder().to("(415) 555-0100").from("+1 415 555 0199").body("Hi")
          .build()).join();
      assertThat(primary.lastSubmitted().to()).isEqualTo(CUSTOMER_NUMBER);
      assertThat(primary.lastSubmitted().from()).contains(BUSINESS);
      assertThat(primary.lastSubmitted().messageId()).isEqualTo(r.messageId());
      gateway.send(OutboundSms.builder().to("07400 123456").defaultRegion("GB").from("ACME").body("Hi").build())
          .join();
      assertThat(primary.lastSubmitted().to()).isEqualTo(PhoneNumber.of("+447400123456"));
      assertThat(primary.lastSubmitted().from()).contains(Originator.alphanumeric("ACME"));
    }

    @Test
    @DisplayName("bad input fails the future with a validation error naming the field; nothing is accepted")
    void validation() {
      start();
      assertThat(failure(gateway.send(OutboundSms.builder().to("12").body("Hi").build())))
          .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("to"));
      assertThat(failure(gateway.send(sms("x".repeat(153 * 10 + 1)))))
          .isInstanceOfSatisfying(SmsValidationException.class, e -> {
            assertThat(e.field()).isEqualTo("body");
            assertThat(e.getMessage()).contains("11 parts");
          });
      assertThat(failure(gateway.send(sms("Hi").toBuilder().provider("nope").build())))
          .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("provider"));
      assertThat(failure(gateway.send(sms("Hi").toBuilder().from("TWELVE CHARS").build())))
          .isInstanceOfSatisfying(SmsValidationException.class,
              e -> assertThat(e.field()).isEqualTo("originator.address"));
      assertThatThrownBy(() -> gateway.send(null)).isInstanceOf(NullPointerException.class).hasMessage("sms == null");
      assertThat(primary.submitted()).isEmpty();
      assertThat(events.accepted).isEmpty();
    }

    @Test
    @DisplayName("a message of exactly maxParts parts is accepted")
    void maxPartsBoundary() {
      start(b -> b.maxParts(3));
      gateway.send(sms("x".repeat(153 * 3))).join();
      assertThat(primary.lastSubmitted().plan().partCount()).isEqualTo(3);
      assertThat(failure(gateway.send(sms("x".repeat(153 * 3 + 1))))).isInstanceOf(SmsValidationException.class);
    }

    @Test
    @DisplayName("transliteration, when asked for, keeps a text with smart quotes in GSM-7")
    void transliterates() {
      start();
      gateway.send(sms("\u201CHi\u201D \u2014 see you\u2026")).join();
      assertThat(primary.lastSubmitted().plan().encoding()).isEqualTo(Encoding.UCS2);
      gateway.send(sms("\u201CHi\u201D \u2014 see you\u2026").toBuilder().transliterate(true).build()).join();
      SubmitRequest r = primary.lastSubmitted();
      assertThat(r.plan().encoding()).isEqualTo(Encoding.GSM7);
      assertThat(r.body()).isEqualTo("\"Hi\" - see you...");
    }

    @Test
    @DisplayName("the builder refuses failover and throttle settings that name unknown providers")
    void builderChecks() {
      assertThatThrownBy(() -> SmsGateway.builder().provider(primary).failover("primary", "nope").build())
          .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("nope");
      assertThatThrownBy(() -> SmsGateway.builder().provider(primary).throttle("nope", 1).build())
          .isInstanceOf(SmsConfigurationException.class);
      assertThatThrownBy(() -> SmsGateway.builder().build()).isInstanceOf(SmsConfigurationException.class);
      assertThatThrownBy(() -> SmsGateway.builder().provider(primary).provider(primary))
          .isInstanceOf(SmsConfigurationException.class);
    }
  }

  @Nested
  @DisplayName("retries")
  class Retries {

    @Test
    @DisplayName("retryable errors are retried with exponential backoff and full jitter, then succeed")
    void retriesThenSucceeds() {
      start(b -> b.retryPolicy(new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(30), false)));
      primary.enqueue(Outcome.throttle(), Outcome.transportError(), Outcome.accept());
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi").toBuilder().provider("primary").build());
      assertThat(primary.submitted()).hasSize(1);
      Instant sentAt = clock.instant();
      assertThat(Duration.between(sentAt, scheduler.nextDue())).isBetween(Duration.ZERO, Duration.ofMillis(200));
      scheduler.advance(Duration.ofMillis(200));
      assertThat(primary.submitted()).hasSize(2);
      Instant second = clock.instant();
      assertThat(Duration.between(second, scheduler.nextDue())).isBetween(Duration.ZERO, Duration.ofMillis(400));
      scheduler.advance(Duration.ofMillis(400));
      assertThat(f).isCompleted();
      assertThat(primary.submitted()).extracting(SubmitRequest::attempt).containsExactly(1, 2, 3);
      assertThat(primary.submitted()).extracting(SubmitRequest::messageId).containsOnly(f.join().messageId());
      assertThat(events.sent).hasSize(1);
      assertThat(events.failed).isEmpty();
    }

    @Test
    @DisplayName("a throttled error's retry-after is respected")
    void retryAfter() {
      start(b -> b.retryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(10), false)));
      primary.enqueue(Outcome.throttle(Duration.ofSeconds(5)));
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi"));
      scheduler.advance(Duration.ofMillis(4999));
      assertThat(primary.submitted()).hasSize(1);
      scheduler.advance(Duration.ofMillis(1));
      assertThat(primary.submitted()).hasSize(2);
      assertThat(f).isCompleted();
    }

    @Test
    @DisplayName("a possibly-delivered timeout is not retried: the send fails, status UNKNOWN")
    void possiblyDeliveredNotRetried() {
      start();
      primary.enqueue(Outcome.timeout());
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi"));
      scheduler.advance(Duration.ofMinutes(5));
      SmsException e = failure(f);
      assertThat(e.possiblyDelivered()).isTrue();
      assertThat(primary.submitted()).hasSize(1);
      assertThat(secondary.submitted()).isEmpty();
      assertThat(events.failed).hasSize(1);
      assertThat(gateway.status(events.accepted.get(0)).orElseThrow().status()).isEqualTo(DeliveryStatus.UNKNOWN);
    }

    @Test
    @DisplayName("a policy that allows it retries a possibly-delivered timeout")
    void possiblyDeliveredRetriedByPolicy() {
      start(b -> b.retryPolicy(new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(100), true)));
      primary.enqueue(Outcome.timeout());
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi"));
      scheduler.advance(Duration.ofMillis(100));
      assertThat(f).isCompleted();
      assertThat(primary.submitted()).hasSize(2);
    }

    @Test
    @DisplayName("a rejection is final at once: no retry, no failover")
    void rejectedNotRetried() {
      start(b -> b.failover("primary", "secondary"));
      primary.enqueue(Outcome.reject("21211"));
      SmsException e = failure(gateway.send(sms("Hi")));
      assertThat(e).isInstanceOf(SmsRejectedException.class);
      assertThat(e.providerCode()).contains("21211");
      assertThat(primary.submitted()).hasSize(1);
      assertThat(secondary.submitted()).isEmpty();
      assertThat(gateway.status(events.accepted.get(0)).orElseThrow().status()).isEqualTo(DeliveryStatus.REJECTED);
    }

    @Test
    @DisplayName("after maxAttempts the send fails with the last error")
    void exhausted() {
      start(b -> b.retryPolicy(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), false)));
      primary.enqueue(Outcome.transportError(), Outcome.transportError(), Outcome.throttle());
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi"));
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(failure(f)).isInstanceOf(dev.smsgateway.SmsThrottledException.class);
      assertThat(primary.submitted()).hasSize(3);
      assertThat(events.failed).hasSize(1);
      assertThat(events.sent).isEmpty();
    }
  }

  @Nested
  @DisplayName("failover")
  class Failover {

    @Test
    @DisplayName("a retryable, not possibly delivered error on the primary sends through the secondary")
    void failsOver() {
      start(b -> b.failover("primary", "secondary"));
      primary.enqueue(Outcome.transportError());
      SendReceipt r = gateway.send(sms("Hi")).join();
      assertThat(r.provider()).isEqualTo("secondary");
      assertThat(secondary.submitted()).hasSize(1);
      assertThat(gateway.status(r.messageId()).orElseThrow().provider()).isEqualTo("secondary");
    }

    @Test
    @DisplayName("a possibly-delivered error never fails over (it could send twice)")
    void noFailoverWhenPossiblyDelivered() {
      start(b -> b.failover("primary", "secondary"));
      primary.enqueue(Outcome.timeout());
      assertThat(failure(gateway.send(sms("Hi"))).possiblyDelivered()).isTrue();
      assertThat(secondary.submitted()).isEmpty();
    }

    @Test
    @DisplayName("without failover configured, the secondary is never used")
    void noFailoverConfigured() {
      start(b -> b.retryPolicy(RetryPolicy.none()));
      primary.enqueue(Outcome.transportError());
      assertThat(failure(gateway.send(sms("Hi")))).isInstanceOf(SmsTransportException.class);
      assertThat(secondary.submitted()).isEmpty();
    }
  }

  @Nested
  @DisplayName("idempotency")
  class Idempotency {

    @Test
    @DisplayName("a repeated key returns the first send's receipt and sends nothing")
    void sequential() {
      start();
      OutboundSms sms = sms("Your order shipped").toBuilder().idempotencyKey("order-1").build();
      SendReceipt first = gateway.send(sms).join();
      SendReceipt again = gateway.send(sms).join();
      assertThat(again).isEqualTo(first);
      assertThat(primary.submitted()).hasSize(1);
      assertThat(events.accepted).hasSize(1);
    }

    @Test
    @DisplayName("a repeated key while the first send is still pending shares its outcome")
    void whilePending() {
      start();
      primary.enqueue(Outcome.pending());
      OutboundSms sms = sms("Hi").toBuilder().idempotencyKey("order-2").build();
      CompletableFuture<SendReceipt> first = gateway.send(sms);
      CompletableFuture<SendReceipt> second = gateway.send(sms);
      assertThat(second).isNotDone();
      primary.releasePending();
      assertThat(second.join()).isEqualTo(first.join());
      assertThat(primary.submitted()).hasSize(1);
    }

    @Test
    @DisplayName("8 threads sending one key at once: exactly one send, everyone gets its receipt")
    void concurrent() {
      start();
      OutboundSms sms = sms("Hi").toBuilder().idempotencyKey("order-3").build();
      List<SendReceipt> receipts = Concurrently.run(8, i -> gateway.send(sms).join());
      assertThat(primary.submitted()).hasSize(1);
      assertThat(receipts).containsOnly(receipts.get(0));
    }

    @Test
    @DisplayName("a repeated key of a failed send returns the failure and sends nothing")
    void failedFirst() {
      start();
      primary.enqueue(Outcome.reject("30003"));
      OutboundSms sms = sms("Hi").toBuilder().idempotencyKey("order-4").build();
      failure(gateway.send(sms));
      assertThat(failure(gateway.send(sms))).isInstanceOf(SmsRejectedException.class);
      assertThat(primary.submitted()).hasSize(1);
    }

    @Test
    @DisplayName("after the key's TTL, the same key sends again")
    void expires() {
      start(b -> b.idempotencyTtl(Duration.ofHours(1)));
      OutboundSms sms = sms("Hi").toBuilder().idempotencyKey("order-5").build();
      gateway.send(sms).join();
      scheduler.advance(Duration.ofHours(1));
      gateway.send(sms).join();
      assertThat(primary.submitted()).hasSize(2);
    }
  }

  @Nested
  @DisplayName("opt-out")
  class OptOut {

    @Test
    @DisplayName("an opted-out recipient is refused when the send is accepted")
    void atAccept() {
      start();
      optOuts.record(new OptOutRecord(CUSTOMER_NUMBER, true, "STOP", "test", clock.instant()));
      assertThat(failure(gateway.send(sms("Hi")))).isInstanceOf(SmsOptedOutException.class);
      assertThat(primary.submitted()).isEmpty();
    }

    @Test
    @DisplayName("the reply to a keyword (the STOP confirmation) still reaches an opted-out recipient; nothing else does")
    void keywordReplyExempt() {
      start();
      optOuts.record(new OptOutRecord(CUSTOMER_NUMBER, true, "STOP", "test", clock.instant()));
      gateway.send(sms("You are unsubscribed. Reply START to resubscribe.").toBuilder().keywordReply(true).build())
          .join();
      assertThat(failure(gateway.send(sms("Hi")))).isInstanceOf(SmsOptedOutException.class);
      assertThat(primary.submitted()).extracting(SubmitRequest::body)
          .containsExactly("You are unsubscribed. Reply START to resubscribe.");
    }

    @Test
    @DisplayName("R6: a STOP recorded while a send waits behind the throttle keeps it off the wire")
    void whileQueued() {
      start(b -> b.throttle("primary", 1));
      CompletableFuture<SendReceipt> first = gateway.send(sms("one"));
      CompletableFuture<SendReceipt> queued = gateway.send(sms("two"));
      assertThat(first).isCompleted();
      assertThat(queued).isNotDone();
      optOuts.record(new OptOutRecord(CUSTOMER_NUMBER, true, "STOP", "test", clock.instant()));
      scheduler.advance(Duration.ofSeconds(2));
      assertThat(failure(queued)).isInstanceOf(SmsOptedOutException.class);
      assertThat(primary.submitted()).extracting(SubmitRequest::body).containsExactly("one");
      assertThat(events.failed).hasSize(1);
    }

    @Test
    @DisplayName("a STOP recorded while a send waits for a retry keeps the retry off the wire")
    void whileRetrying() {
      start();
      primary.enqueue(Outcome.transportError());
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi"));
      optOuts.record(new OptOutRecord(CUSTOMER_NUMBER, true, "STOP", "test", clock.instant()));
      scheduler.advance(Duration.ofMinutes(1));
      assertThat(failure(f)).isInstanceOf(SmsOptedOutException.class);
      assertThat(primary.submitted()).hasSize(1);
    }

    @Test
    @DisplayName("a keyword reply (the STOP confirmation) still reaches an opted-out customer; other sends do not")
    void keywordReply() {
      start();
      optOuts.record(new OptOutRecord(CUSTOMER_NUMBER, true, "STOP", "test", clock.instant()));
      gateway.send(sms("You are unsubscribed").toBuilder().keywordReply(true).build()).join();
      assertThat(failure(gateway.send(sms("Hi")))).isInstanceOf(SmsOptedOutException.class);
      assertThat(primary.submitted()).extracting(SubmitRequest::body).containsExactly("You are unsubscribed");
    }

    /** Counts the look-ups of an opt-out store (the gateway's reads), keeping its records in memory. */
    final class CountingOptOuts implements dev.smsgateway.store.OptOutStore {
      final AtomicInteger reads = new AtomicInteger();

      @Override
      public void record(OptOutRecord record) {
        optOuts.record(record);
      }

      @Override
      public boolean isOptedOut(PhoneNumber customer) {
        reads.incrementAndGet();
        return optOuts.isOptedOut(customer);
      }

      @Override
      public java.util.Optional<OptOutRecord> find(PhoneNumber customer) {
        return optOuts.find(customer);
      }
    }

    @Test
    @DisplayName("a message whose caller checked the gateway's own opt-out store is looked up once (before the wire), "
        + "not again on accept")
    void checkedByCaller() {
      CountingOptOuts counting = new CountingOptOuts();
      start(b -> b.optOutStore(counting));
      gateway.send(sms("plain")).join();
      assertThat(counting.reads).hasValue(2); // on accept and before the wire
      counting.reads.set(0);
      gateway.send(sms("checked").toBuilder().optOutChecked(counting).build()).join();
      assertThat(counting.reads).hasValue(1);
      assertThat(primary.submitted()).extracting(SubmitRequest::body).containsExactly("plain", "checked");
    }

    @Test
    @DisplayName("a STOP recorded after the caller's check still keeps the message off the wire")
    void stopAfterCallersCheck() {
      start();
      optOuts.record(new OptOutRecord(CUSTOMER_NUMBER, true, "STOP", "test", clock.instant()));
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi").toBuilder().optOutChecked(optOuts).build());
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(failure(f)).isInstanceOf(SmsOptedOutException.class);
      assertThat(primary.submitted()).isEmpty();
      assertThat(events.failed).hasSize(1);
    }

    @Test
    @DisplayName("a check made in another opt-out store does not spare the gateway's own look-up on accept")
    void checkedInAnotherStore() {
      start();
      optOuts.record(new OptOutRecord(CUSTOMER_NUMBER, true, "STOP", "test", clock.instant()));
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi").toBuilder()
          .optOutChecked(new InMemoryOptOutStore()).build());
      assertThat(failure(f)).isInstanceOf(SmsOptedOutException.class);
      assertThat(primary.submitted()).isEmpty();
      assertThat(events.failed).isEmpty(); // refused on accept: no send was recorded
    }

    @Test
    @DisplayName("a provider's opt-out error is recorded, so later sends are refused at once")
    void providerOptOutRecorded() {
      start();
      primary.enqueue(Outcome.fail(new SmsOptedOutException(CUSTOMER_NUMBER, "primary", "21610")));
      assertThat(failure(gateway.send(sms("Hi")))).isInstanceOf(SmsOptedOutException.class);
      assertThat(optOuts.find(CUSTOMER_NUMBER)).hasValueSatisfying(r -> {
        assertThat(r.optedOut()).isTrue();
        assertThat(r.keyword()).isEqualTo("primary:21610");
      });
      assertThat(failure(gateway.send(sms("again")))).isInstanceOf(SmsOptedOutException.class);
      assertThat(primary.submitted()).hasSize(1);
    }
  }

  @Nested
  @DisplayName("throttling")
  class Throttling {

    @Test
    @DisplayName("2 parts a second: 10 one-part messages leave 2 now, then 2 a second, in order")
    void partsPerSecond() {
      start(b -> b.throttle("primary", 2));
      List<CompletableFuture<SendReceipt>> all = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        all.add(gateway.send(sms("m" + i)));
      }
      assertThat(primary.submitted()).hasSize(2);
      for (int second = 1; second <= 4; second++) {
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(primary.submitted()).hasSize(2 + 2 * second);
      }
      assertThat(primary.submitted()).extracting(SubmitRequest::body)
          .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
      assertThat(all).allSatisfy(f -> assertThat(f).isCompleted());
      assertThat(events.throttledWaits).hasSize(8).first().isEqualTo(Duration.ofMillis(500));
    }

    @Test
    @DisplayName("a 3-part message takes 3 tokens")
    void countsParts() {
      start(b -> b.throttle("primary", 3));
      gateway.send(sms("x".repeat(400)));
      CompletableFuture<SendReceipt> next = gateway.send(sms("y"));
      assertThat(primary.submitted()).hasSize(1);
      scheduler.advance(Duration.ofMillis(333));
      assertThat(next).isNotDone();
      scheduler.advance(Duration.ofMillis(1));
      assertThat(next).isCompleted();
    }

    @Test
    @DisplayName("a throttle on one provider does not slow another")
    void perProvider() {
      start(b -> b.throttle("primary", 1));
      gateway.send(sms("a"));
      gateway.send(sms("b"));
      gateway.send(sms("c").toBuilder().provider("secondary").build());
      gateway.send(sms("d").toBuilder().provider("secondary").build());
      assertThat(primary.submitted()).hasSize(1);
      assertThat(secondary.submitted()).hasSize(2);
    }
  }

  @Nested
  @DisplayName("delivery reports")
  class Reports {

    @Test
    @DisplayName("a report correlates to our message id and updates the status")
    void correlates() {
      start();
      SendReceipt r = gateway.send(sms("Hi")).join();
      primary.deliverReport(r, DeliveryStatus.DELIVERED);
      assertThat(events.reports).singleElement().satisfies(e -> {
        assertThat(e.report().messageId()).contains(r.messageId());
        assertThat(e.merged()).isEqualTo(DeliveryStatus.DELIVERED);
      });
      assertThat(gateway.status(r.messageId()).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    @DisplayName("per-part reports merge: a 2-part message is delivered when both parts are; duplicates are dropped")
    void perPart() {
      start();
      SendReceipt r = gateway.send(sms("x".repeat(200))).join();
      assertThat(r.providerMessageIds()).hasSize(2);
      DeliveryReport part0 = DeliveryReport.builder().provider("primary").providerMessageId(
          r.providerMessageIds().get(0)).status(DeliveryStatus.DELIVERED).occurredAt(clock.instant()).build();
      primary.deliverReport(part0);
      primary.deliverReport(part0);
      assertThat(events.reports).singleElement().satisfies(e -> {
        assertThat(e.report().part()).isZero();
        assertThat(e.merged()).isEqualTo(DeliveryStatus.ACCEPTED);
      });
      primary.deliverReport(part0.toBuilder().providerMessageId(r.providerMessageIds().get(1)).build());
      assertThat(events.reports).hasSize(2);
      assertThat(events.reports.get(1).merged()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    @DisplayName("a report that arrives before the send is answered is parked and applied after onSent")
    void beforeReceipt() {
      start();
      primary.enqueue(Outcome.pending());
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi"));
      primary.deliverReport(DeliveryReport.builder().provider("primary").providerMessageId("1001")
          .status(DeliveryStatus.DELIVERED).occurredAt(clock.instant()).build());
      assertThat(events.reports).isEmpty();
      primary.releasePending();
      SendReceipt r = f.join();
      assertThat(r.providerMessageIds()).containsExactly("1001");
      assertThat(events.order).containsSubsequence("sent", "report");
      assertThat(events.reports).singleElement().satisfies(e -> {
        assertThat(e.report().messageId()).contains(r.messageId());
        assertThat(e.merged()).isEqualTo(DeliveryStatus.DELIVERED);
      });
      assertThat(gateway.status(r.messageId()).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    @DisplayName("a report for an id nobody sent is parked, not delivered to listeners, and expires")
    void unknownId() {
      start(b -> b.reportParkTtl(Duration.ofMinutes(1)));
      primary.deliverReport(DeliveryReport.builder().provider("primary").providerMessageId("999")
          .status(DeliveryStatus.DELIVERED).occurredAt(clock.instant()).build());
      assertThat(events.reports).isEmpty();
      scheduler.advance(Duration.ofMinutes(2));
      assertThat(messages.takeParked("primary", "999")).isEmpty();
    }
  }

  @Nested
  @DisplayName("inbound")
  class Inbound {

    @Test
    @DisplayName("an inbound message is handled once, however often the provider delivers it")
    void deduplicated() {
      List<InboundSms> handled = new CopyOnWriteArrayList<>();
      start(b -> b.inboundHandler(handled::add));
      InboundSms mo = InboundSms.builder().provider("primary").providerMessageId("SM1").from(CUSTOMER_NUMBER)
          .to(BUSINESS).body("Yes").receivedAt(clock.instant()).build();
      primary.deliverInbound(mo);
      primary.deliverInbound(mo);
      assertThat(handled).containsExactly(mo);
      assertThat(events.inbound).containsExactly(mo);
    }

    @Test
    @DisplayName("if the handler throws, the provider sees the error and a redelivery is handled")
    void handlerFailureNacks() {
      AtomicInteger calls = new AtomicInteger();
      start(b -> b.inboundHandler(sms -> {
        if (calls.incrementAndGet() == 1) {
          throw new IllegalStateException("database down");
        }
      }));
      InboundSms mo = InboundSms.builder().provider("primary").providerMessageId("SM2").from(CUSTOMER_NUMBER)
          .to(BUSINESS).body("Yes").receivedAt(clock.instant()).build();
      assertThatThrownBy(() -> primary.deliverInbound(mo)).hasMessage("database down");
      assertThat(events.inbound).isEmpty();
      primary.deliverInbound(mo);
      assertThat(calls).hasValue(2);
      assertThat(events.inbound).containsExactly(mo);
    }
  }

  @Nested
  @DisplayName("listeners and lifecycle")
  class Lifecycle {

    @Test
    @DisplayName("a throwing listener changes nothing: the send completes and other listeners still run")
    void listenerContained() {
      GatewayListener throwing = new GatewayListener() {
        @Override
        public void onSent(SendReceipt receipt) {
          throw new IllegalStateException("boom");
        }
      };
      Events second = new Events();
      start(b -> b.listener(throwing).listener(second));
      SendReceipt r = gateway.send(sms("Hi")).join();
      assertThat(second.sent).containsExactly(r);
    }

    @Test
    @DisplayName("close() fails sends pending at the provider and queued behind the throttle; each ends in onFailed")
    void closeFailsEverything() {
      start(b -> b.throttle("primary", 1));
      primary.enqueue(Outcome.pending());
      CompletableFuture<SendReceipt> atProvider = gateway.send(sms("one"));
      CompletableFuture<SendReceipt> queued = gateway.send(sms("two"));
      gateway.close();
      gateway.close();
      assertThat(failure(atProvider)).isInstanceOf(SmsTransportException.class);
      assertThat(failure(queued)).isInstanceOf(SmsTransportException.class);
      assertThat(events.failed).hasSize(2);
      assertThat(failure(gateway.send(sms("three")))).isInstanceOf(SmsTransportException.class);
      assertThat(primary.isClosed()).isTrue();
    }

    @Test
    @DisplayName("200 sends with random outcomes: every accepted message ends in exactly one of onSent or onFailed")
    void everyMessageEnds() {
      start(b -> b.throttle("primary", 50).failover("primary", "secondary"));
      Random random = new Random(7);
      List<Outcome> menu = List.of(Outcome.accept(), Outcome.throttle(), Outcome.transportError(), Outcome.timeout(),
          Outcome.reject("x"));
      for (int i = 0; i < 400; i++) {
        primary.enqueue(menu.get(random.nextInt(menu.size())));
        secondary.enqueue(menu.get(random.nextInt(menu.size())));
      }
      List<CompletableFuture<SendReceipt>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        all.add(gateway.send(sms("message " + i)));
      }
      scheduler.advance(Duration.ofMinutes(10));
      assertThat(all).allSatisfy(f -> assertThat(f).isDone());
      assertThat(events.accepted).hasSize(200);
      assertThat(events.sent.size() + events.failed.size()).isEqualTo(200);
      List<String> ended = new ArrayList<>(events.failed);
      events.sent.forEach(r -> ended.add(r.messageId()));
      assertThat(ended).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(events.accepted);
    }
  }

  /** Records gateway events. Thread-safe. */
  static final class Events implements GatewayListener {
    record Report(DeliveryReport report, DeliveryStatus merged) {}

    final List<String> accepted = new CopyOnWriteArrayList<>();
    final List<SendReceipt> sent = new CopyOnWriteArrayList<>();
    final List<String> failed = new CopyOnWriteArrayList<>();
    final List<Report> reports = new CopyOnWriteArrayList<>();
    final List<InboundSms> inbound = new CopyOnWriteArrayList<>();
    final List<String> order = Collections.synchronizedList(new ArrayList<>());
    final List<Duration> throttledWaits = new CopyOnWriteArrayList<>();

    @Override
    public void onThrottled(String provider, Duration wait) {
      throttledWaits.add(wait);
    }

    @Override
    public void onAccepted(String messageId, OutboundSms sms) {
      accepted.add(messageId);
      order.add("accepted");
    }

    @Override
    public void onSent(SendReceipt receipt) {
      sent.add(receipt);
      order.add("sent");
    }

    @Override
    public void onFailed(String messageId, SmsException error) {
      failed.add(messageId);
      order.add("failed");
    }

    @Override
    public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
      reports.add(new Report(report, merged));
      order.add("report");
    }

    @Override
    public void onInbound(InboundSms sms) {
      inbound.add(sms);
      order.add("inbound");
    }
  }
}
