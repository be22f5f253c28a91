package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsBudgetExceededException;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SpendingBudget;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.test.RecordingSmsProvider.Outcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The spending budget of {@link SmsGateway}, on a virtual clock: limits per day and month, warnings, sharing. */
class SpendingBudgetTest {

  static final BigDecimal CENT = new BigDecimal("0.01");

  final MutableClock clock = MutableClock.at("2026-01-31T12:00:00Z");
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final InMemoryMessageStore store = new InMemoryMessageStore(clock);
  final RecordingSmsProvider primary = RecordingSmsProvider.builder().name("primary").clock(clock).build();
  final RecordingSmsProvider secondary = RecordingSmsProvider.builder().name("secondary").clock(clock).build();
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final List<SmsException> failures = new CopyOnWriteArrayList<>();
  final List<String> failedIds = new CopyOnWriteArrayList<>();
  final List<SmsGateway> gateways = new ArrayList<>();

  @AfterEach
  void tearDown() {
    gateways.forEach(SmsGateway::close);
  }

  SmsGateway gateway(SpendingBudget budget) {
    return gateway(budget, store, primary, secondary);
  }

  SmsGateway gateway(SpendingBudget budget, MessageStore messages, RecordingSmsProvider... providers) {
    SmsGateway.Builder b = SmsGateway.builder().defaultRegion("US").clock(clock).scheduler(scheduler)
        .messageStore(messages).random(new Random(7)).spendingBudget(budget).listener(new GatewayListener() {
          @Override
          public void onBudgetThreshold(String scope, String period, BigDecimal spent, BigDecimal limit) {
            warnings.add(scope + " " + period + " " + spent.toPlainString() + "/" + limit.toPlainString());
          }

          @Override
          public void onFailed(String messageId, SmsException error) {
            failedIds.add(messageId);
            failures.add(error);
          }
        });
    for (RecordingSmsProvider p : providers) {
      b.provider(p);
    }
    SmsGateway g = b.build();
    g.start();
    gateways.add(g);
    return g;
  }

  static SpendingBudget.Builder centPerPart() {
    return SpendingBudget.builder().pricePerPart("primary", CENT).pricePerPart("secondary", CENT);
  }

  static OutboundSms sms(String text) {
    return OutboundSms.builder().to("+14155550100").from("+14155550199").body(text).build();
  }

  static SmsException failure(CompletableFuture<SendReceipt> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("not failed");
    } catch (CompletionException e) {
      return (SmsException) e.getCause();
    }
  }

  @Test
  @DisplayName("a day's limit: sends within it go out, the one that would pass it fails non-retryably, unsent")
  void dailyLimit() {
    SmsGateway gateway = gateway(centPerPart().gatewayLimit(new BigDecimal("0.05"), null).build());
    for (int i = 0; i < 5; i++) {
      assertThat(gateway.send(sms("m" + i))).isCompleted();
    }
    CompletableFuture<SendReceipt> sixth = gateway.send(sms("m5"));
    SmsException e = failure(sixth);
    assertThat(e).isInstanceOf(SmsBudgetExceededException.class);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("spending budget reached: gateway has spent 0.05 of its 0.05 USD limit for"
        + " day 2026-01-31").contains("it was not sent");
    SmsBudgetExceededException b = (SmsBudgetExceededException) e;
    assertThat(b.scope()).isEqualTo("gateway");
    assertThat(b.period()).isEqualTo("day 2026-01-31");
    assertThat(b.limit()).isEqualByComparingTo("0.05");
    assertThat(b.spent()).isEqualByComparingTo("0.05");
    assertThat(primary.submitted()).hasSize(5);
    assertThat(failures).containsExactly(e);
  }

  @Test
  @DisplayName("the refused message is recorded REJECTED; a 3-part message counts 3 parts and may not fit")
  void countsPartsAndRecordsRejection() {
    SmsGateway gateway = gateway(centPerPart().gatewayLimit(new BigDecimal("0.04"), null).build());
    assertThat(gateway.send(sms("x".repeat(400)))).isCompleted();
    CompletableFuture<SendReceipt> second = gateway.send(sms("y".repeat(200)));
    assertThat(failure(second)).isInstanceOf(SmsBudgetExceededException.class)
        .hasMessageContaining("has spent 0.03 of its 0.04").hasMessageContaining("estimated 0.02 USD");
    assertThat(store.counter("spend|USD|gateway|day:2026-01-31")).isEqualTo(30_000);
    assertThat(gateway.send(sms("z"))).isCompleted();
    assertThat(primary.submitted()).hasSize(2);
    assertThat(gateway.status(failedIds.get(0)).orElseThrow().status()).isEqualTo(DeliveryStatus.REJECTED);
  }

  @Test
  @DisplayName("a new day starts from 0 at midnight in the budget's zone")
  void newDay() {
    SmsGateway gateway = gateway(centPerPart().gatewayLimit(CENT, null).zone(ZoneId.of("America/New_York"))
        .build());
    assertThat(gateway.send(sms("a"))).isCompleted();
    assertThat(gateway.send(sms("b"))).isCompletedExceptionally();
    clock.set(java.time.Instant.parse("2026-01-31T04:59:59Z").plus(Duration.ofDays(1)));   // 23:59:59 New York
    assertThat(failure(gateway.send(sms("c")))).hasMessageContaining("day 2026-01-31");
    clock.advance(Duration.ofSeconds(1));
    assertThat(gateway.send(sms("d"))).isCompleted();
  }

  @Test
  @DisplayName("a month's limit holds across days and lifts with the next month")
  void monthlyLimit() {
    SmsGateway gateway = gateway(centPerPart().gatewayLimit(BigDecimal.ONE, new BigDecimal("0.02")).build());
    assertThat(gateway.send(sms("a"))).isCompleted();
    assertThat(gateway.send(sms("b"))).isCompleted();
    clock.advance(Duration.ofHours(6));   // 2026-01-31T18:00
    assertThat(failure(gateway.send(sms("c")))).hasMessageContaining("month 2026-01");
    clock.advance(Duration.ofHours(6));   // 2026-02-01
    assertThat(gateway.send(sms("d"))).isCompleted();
  }

  @Test
  @DisplayName("a provider's limit covers that provider only; the gateway's covers all together")
  void providerScope() {
    SmsGateway gateway = gateway(centPerPart().providerLimit("primary", CENT, null)
        .gatewayLimit(new BigDecimal("0.03"), null).build());
    assertThat(gateway.send(sms("a"))).isCompleted();
    assertThat(failure(gateway.send(sms("b")))).hasMessageContaining("provider primary has spent 0.01");
    OutboundSms viaSecondary = sms("c").toBuilder().provider("secondary").build();
    assertThat(gateway.send(viaSecondary)).isCompleted();
    assertThat(gateway.send(viaSecondary)).isCompleted();
    assertThat(failure(gateway.send(viaSecondary))).hasMessageContaining("gateway has spent 0.03");
    // The refused primary send took nothing off the gateway's counter.
    assertThat(store.counter("spend|USD|gateway|day:2026-01-31")).isEqualTo(30_000);
  }

  @Test
  @DisplayName("a send the provider refused before it went out is taken off the budget again")
  void refundOnFailure() {
    SmsGateway gateway = gateway(centPerPart().gatewayLimit(new BigDecimal("0.02"), null).build());
    primary.enqueue(Outcome.reject("21211"));
    assertThat(gateway.send(sms("a"))).isCompletedExceptionally();
    assertThat(store.counter("spend|USD|gateway|day:2026-01-31")).isZero();
    assertThat(gateway.send(sms("b"))).isCompleted();
    assertThat(gateway.send(sms("c"))).isCompleted();
  }

  @Test
  @DisplayName("a send that may have gone out (a timeout) stays counted")
  void possiblyDeliveredStaysCounted() {
    SmsGateway gateway = gateway(centPerPart().gatewayLimit(new BigDecimal("0.02"), null).build());
    primary.enqueue(Outcome.timeout());
    assertThat(gateway.send(sms("a"))).isCompletedExceptionally();
    assertThat(store.counter("spend|USD|gateway|day:2026-01-31")).isEqualTo(10_000);
  }

  @Test
  @DisplayName("the 80% warning comes once per counter, from the send that crossed it, never again")
  void warnsOnceAt80Percent() {
    SmsGateway gateway = gateway(centPerPart().gatewayLimit(new BigDecimal("0.05"), new BigDecimal("0.06"))
        .build());
    for (int i = 0; i < 3; i++) {
      gateway.send(sms("m" + i));
    }
    assertThat(warnings).isEmpty();
    gateway.send(sms("m3"));
    assertThat(warnings).containsExactly("gateway day 2026-01-31 0.04/0.05");
    gateway.send(sms("m4"));
    assertThat(warnings).containsExactly("gateway day 2026-01-31 0.04/0.05", "gateway month 2026-01 0.05/0.06");
    assertThat(gateway.send(sms("m5"))).isCompletedExceptionally();
    clock.advance(Duration.ofDays(1));
    for (int i = 6; i < 9; i++) {
      gateway.send(sms("m" + i));
    }
    assertThat(warnings).hasSize(2);
    gateway.send(sms("m9"));
    assertThat(warnings).containsExactly("gateway day 2026-01-31 0.04/0.05", "gateway month 2026-01 0.05/0.06",
        "gateway day 2026-02-01 0.04/0.05");
  }

  @Test
  @DisplayName("two gateways on one store share the budget: 8 threads sending through both spend it exactly")
  void sharedAcrossInstances() throws Exception {
    SpendingBudget budget = SpendingBudget.builder().pricePerPart("primary", CENT)
        .gatewayLimit(new BigDecimal("0.25"), null).build();
    RecordingSmsProvider a = RecordingSmsProvider.builder().name("primary").clock(clock).build();
    RecordingSmsProvider b = RecordingSmsProvider.builder().name("primary").clock(clock).build();
    SmsGateway first = gateway(budget, store, a);
    SmsGateway second = gateway(budget, store, b);
    List<CompletableFuture<SendReceipt>> all = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      SmsGateway g = t % 2 == 0 ? first : second;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 10; i++) {
          all.add(g.send(sms("m")));
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(all).hasSize(80);
    assertThat(all.stream().filter(f -> !f.isCompletedExceptionally()).count()).isEqualTo(25);
    assertThat(a.submitted().size() + b.submitted().size()).isEqualTo(25);
    assertThat(store.counter("spend|USD|gateway|day:2026-01-31")).isEqualTo(250_000);
  }

  @Test
  @DisplayName("build-time checks: a covered provider needs a price; names must exist; amounts are positive")
  void validation() {
    assertThatThrownBy(() -> SmsGateway.builder().provider(primary).provider(secondary)
        .spendingBudget(SpendingBudget.builder().pricePerPart("primary", CENT).gatewayLimit(CENT, null).build())
        .build()).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("spendingBudget.pricePerPart[secondary] is required");
    assertThatThrownBy(() -> SmsGateway.builder().provider(primary)
        .spendingBudget(centPerPart().providerLimit("nope", CENT, null).build()).build())
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("unknown provider 'nope'");
    assertThatThrownBy(() -> SpendingBudget.builder().gatewayLimit(null, null))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("spendingBudget.gatewayLimit");
    assertThatThrownBy(() -> SpendingBudget.builder().pricePerPart("p", new BigDecimal("-0.01")))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("must be positive");
    assertThatThrownBy(() -> SpendingBudget.builder().pricePerPart("p", new BigDecimal("0.0000001")))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("more than 6 decimal places");
    assertThatThrownBy(() -> SpendingBudget.builder().warnAt(1.5)).isInstanceOf(SmsValidationException.class)
        .hasMessageContaining("spendingBudget.warnAt");
    assertThatThrownBy(() -> SpendingBudget.builder().currency("dollars"))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("ISO 4217");
    assertThatThrownBy(() -> SpendingBudget.builder().build()).isInstanceOf(SmsValidationException.class)
        .hasMessageContaining("has no limit");
    assertThat(SpendingBudget.builder().gatewayLimit(CENT, null).build().warnAt()).isEqualTo(0.8);
  }
}
