package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SpendingBudget;
import dev.smsgateway.compliance.Compliance;
import dev.smsgateway.compliance.InMemoryConsentStore;
import dev.smsgateway.compliance.Purpose;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OptOutStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The second opt-out check, right before the wire, asked without blocking ({@link OptOutStore#isOptedOutAsync}) when
 * the gateway has neither compliance nor a spending budget: nothing reaches the provider until the store answered; an
 * opt-out that arrived meanwhile fails the send; a store that failed fails it for certain (not possibly delivered); a
 * keyword reply is never checked; with compliance or a budget the synchronous check is used.
 */
class SmsGatewayOptOutCheckAsyncTest {

  static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");

  final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final LaterOptOutStore optOuts = new LaterOptOutStore();
  final RecordingSmsProvider provider = RecordingSmsProvider.builder().name("primary").clock(clock).build();
  final SmsGatewayReportOrderTest.Order events = new SmsGatewayReportOrderTest.Order("l");
  SmsGateway gateway;

  @AfterEach
  void tearDown() {
    if (gateway != null) {
      gateway.close();
    }
  }

  SmsGateway start(UnaryOperator<SmsGateway.Builder> more) {
    gateway = more.apply(SmsGateway.builder().provider(provider).clock(clock).scheduler(scheduler)
        .optOutStore(optOuts).listener(events)).build();
    gateway.start();
    return gateway;
  }

  /** What the send's future failed with. */
  static Throwable failure(CompletableFuture<SendReceipt> f) {
    Throwable e = f.handle((r, error) -> error).join();
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  static OutboundSms sms() {
    return OutboundSms.builder().to(CUSTOMER).body("Hi").build();
  }

  @Test
  @DisplayName("nothing is submitted until the store answered; answered not opted out, the message goes")
  void submitsOnceTheStoreAnswered() {
    start(b -> b);
    CompletableFuture<SendReceipt> f = gateway.send(sms());

    assertThat(optOuts.asyncAsked.get()).isEqualTo(1);
    assertThat(provider.submitted()).isEmpty();
    assertThat(f).isNotDone();
    assertThat(events.events).containsExactly("l:accepted");

    optOuts.answerNext();
    assertThat(provider.submitted()).singleElement().satisfies(r -> assertThat(r.to()).isEqualTo(CUSTOMER));
    assertThat(f).isCompleted();
    assertThat(events.events).containsExactly("l:accepted", "l:sent");
  }

  @Test
  @DisplayName("a STOP recorded while the check was in flight, answered opted out: SmsOptedOutException, nothing sent")
  void optedOutMeanwhile() {
    start(b -> b);
    CompletableFuture<SendReceipt> f = gateway.send(sms());
    String id = events.accepted.get(0);
    optOuts.delegate.record(new OptOutRecord(CUSTOMER, true, "STOP", "primary", clock.instant()));

    assertThat(provider.submitted()).isEmpty();
    optOuts.answerNext(); // the store's answer now: opted out

    assertThat(f).isCompletedExceptionally();
    assertThat(failure(f)).isInstanceOf(SmsOptedOutException.class);
    assertThat(provider.submitted()).isEmpty();
    assertThat(events.events).containsExactly("l:accepted", "l:failed");
    assertThat(gateway.status(id).orElseThrow().status()).isEqualTo(DeliveryStatus.REJECTED);
  }

  @Test
  @DisplayName("the store failed: SmsTransportException, not possibly delivered, with the store's error; nothing sent")
  void storeFailed() {
    start(b -> b);
    CompletableFuture<SendReceipt> f = gateway.send(sms());
    String id = events.accepted.get(0);
    IllegalStateException down = new IllegalStateException("opt-out store down");

    assertThat(provider.submitted()).isEmpty();
    optOuts.failNext(down);

    assertThat(f).isCompletedExceptionally();
    Throwable error = failure(f);
    assertThat(error).isInstanceOfSatisfying(SmsTransportException.class, e -> {
      assertThat(e.possiblyDelivered()).isFalse();
      assertThat(e.getCause()).isSameAs(down);
      assertThat(e.getMessage()).contains("opt-out store");
    });
    assertThat(provider.submitted()).isEmpty();
    assertThat(events.events).containsExactly("l:accepted", "l:failed");
    assertThat(gateway.status(id).orElseThrow().status()).isEqualTo(DeliveryStatus.FAILED);
  }

  @Test
  @DisplayName("a store whose isOptedOutAsync throws instead of failing its future: the same typed failure")
  void storeThrew() {
    optOuts.throwOnAsk = new IllegalStateException("opt-out store refused the query");
    start(b -> b);
    CompletableFuture<SendReceipt> f = gateway.send(sms());

    assertThat(f).isCompletedExceptionally();
    assertThat(failure(f)).isInstanceOfSatisfying(SmsTransportException.class, e -> {
      assertThat(e.possiblyDelivered()).isFalse();
      assertThat(e.getCause()).isSameAs(optOuts.throwOnAsk);
    });
    assertThat(provider.submitted()).isEmpty();
  }

  @Test
  @DisplayName("a keyword reply (the STOP confirmation to an opted-out customer) goes without a check")
  void keywordReplyNotChecked() {
    optOuts.delegate.record(new OptOutRecord(CUSTOMER, true, "STOP", "primary", clock.instant()));
    start(b -> b);
    CompletableFuture<SendReceipt> f = gateway.send(OutboundSms.builder().to(CUSTOMER)
        .body("You are unsubscribed. Reply START to resubscribe.").keywordReply(true).build());

    assertThat(f).isCompleted();
    assertThat(provider.submitted()).hasSize(1);
    assertThat(optOuts.asyncAsked.get()).isZero();
  }

  @Test
  @DisplayName("the gateway closed while the check was in flight: the send fails (not possibly delivered), and the"
      + " late answer submits nothing")
  void closedMeanwhile() {
    start(b -> b.closeTimeout(Duration.ZERO));
    CompletableFuture<SendReceipt> f = gateway.send(sms());
    gateway.close();

    assertThat(f).isCompletedExceptionally();
    assertThat(failure(f)).isInstanceOfSatisfying(SmsTransportException.class,
        e -> assertThat(e.possiblyDelivered()).isFalse());
    optOuts.answerNext();
    assertThat(provider.submitted()).isEmpty();
    assertThat(events.events).containsExactly("l:accepted", "l:failed");
  }

  @Test
  @DisplayName("with compliance the synchronous check is used (held messages keep their order): no asynchronous ask")
  void complianceChecksSynchronously() {
    start(b -> b.compliance(Compliance.builder().consentStore(new InMemoryConsentStore()).clock(clock).build()));
    int syncBefore = optOuts.syncAsked.get();
    CompletableFuture<SendReceipt> f = gateway.send(OutboundSms.builder().to(CUSTOMER).body("Your code is 1234")
        .purpose(Purpose.TRANSACTIONAL).build());

    assertThat(f).isCompleted();
    assertThat(provider.submitted()).hasSize(1);
    assertThat(optOuts.asyncAsked.get()).isZero();
    assertThat(optOuts.syncAsked.get()).isGreaterThan(syncBefore);
  }

  @Test
  @DisplayName("with a spending budget the synchronous check is used: no asynchronous ask")
  void budgetChecksSynchronously() {
    start(b -> b.spendingBudget(SpendingBudget.builder().pricePerPart("primary",
        new BigDecimal("0.01")).gatewayLimit(new BigDecimal("100"), null).build()));
    int syncBefore = optOuts.syncAsked.get();
    CompletableFuture<SendReceipt> f = gateway.send(sms());

    assertThat(f).isCompleted();
    assertThat(provider.submitted()).hasSize(1);
    assertThat(optOuts.asyncAsked.get()).isZero();
    assertThat(optOuts.syncAsked.get()).isGreaterThan(syncBefore);
  }

  /**
   * An {@link InMemoryOptOutStore} whose {@link #isOptedOutAsync} answers only when the test says so (as a durable
   * store answers in its next group commit): with the store's answer at that moment, or with an error.
   */
  static final class LaterOptOutStore implements OptOutStore {
    final InMemoryOptOutStore delegate = new InMemoryOptOutStore();
    final AtomicInteger syncAsked = new AtomicInteger();
    final AtomicInteger asyncAsked = new AtomicInteger();
    private final Deque<Asked> asked = new ArrayDeque<>();
    volatile RuntimeException throwOnAsk;

    private record Asked(PhoneNumber customer, CompletableFuture<Boolean> answer) {}

    @Override
    public void record(OptOutRecord record) {
      delegate.record(record);
    }

    @Override
    public boolean isOptedOut(PhoneNumber customer) {
      syncAsked.incrementAndGet();
      return delegate.isOptedOut(customer);
    }

    @Override
    public Optional<OptOutRecord> find(PhoneNumber customer) {
      return delegate.find(customer);
    }

    @Override
    public CompletableFuture<Boolean> isOptedOutAsync(PhoneNumber customer) {
      asyncAsked.incrementAndGet();
      if (throwOnAsk != null) {
        throw throwOnAsk;
      }
      CompletableFuture<Boolean> answer = new CompletableFuture<>();
      synchronized (asked) {
        asked.addLast(new Asked(customer, answer));
      }
      return answer;
    }

    private Asked next() {
      synchronized (asked) {
        Asked a = asked.pollFirst();
        if (a == null) {
          throw new AssertionError("isOptedOutAsync was not asked");
        }
        return a;
      }
    }

    /** Answers the oldest question with what the store holds now. */
    void answerNext() {
      Asked a = next();
      a.answer().complete(delegate.isOptedOut(a.customer()));
    }

    /** Fails the oldest question with {@code error}. */
    void failNext(RuntimeException error) {
      next().answer().completeExceptionally(error);
    }
  }
}
