package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsProviders;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.MutableClock;
import dev.smsgateway.test.smsc.ReceivedSubmit;
import dev.smsgateway.test.smsc.SmscSimulator;
import dev.smsgateway.test.smsc.SubmitAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmppSmsProviderTest {

  static final PhoneNumber CUSTOMER = PhoneNumber.of("+4915112345678");
  static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550100"));

  SmscSimulator smsc;
  SmppSmsProvider provider;
  RecordingListener listener = new RecordingListener();
  AtomicInteger ids = new AtomicInteger();

  @BeforeEach
  void startSmsc() {
    smsc = SmscSimulator.builder().credentials("esme", "pw").build().start();
  }

  @AfterEach
  void stop() {
    if (provider != null) {
      provider.close();
    }
    smsc.close();
  }

  SmppSmsProvider.Builder builder() {
    return SmppSmsProvider.builder().host(smsc.host()).port(smsc.port()).systemId("esme").password("pw")
        .responseTimeout(Duration.ofSeconds(2)).reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
        .defaultOriginator(BUSINESS);
  }

  SmppSmsProvider started(SmppSmsProvider.Builder b) throws InterruptedException {
    provider = b.build();
    provider.start(listener);
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.CONNECTED, Duration.ofSeconds(5)))
        .isTrue();
    return provider;
  }

  SubmitRequest request(String body) {
    return SubmitRequest.builder().messageId("m" + ids.incrementAndGet()).to(CUSTOMER).body(body).build();
  }

  static SendReceipt get(CompletableFuture<SendReceipt> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  static Throwable failure(CompletableFuture<SendReceipt> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void sendsGsmTextWithInternationalAddressesAndReceiptRequest() throws Exception {
    started(builder());
    SendReceipt r = get(provider.send(SubmitRequest.builder().messageId("m1").to(CUSTOMER).body("Hello {world}")
        .validity(Duration.ofHours(2)).build()));
    assertThat(r.messageId()).isEqualTo("m1");
    assertThat(r.parts()).isEqualTo(1);
    ReceivedSubmit s = smsc.accepted().get(0);
    assertThat(r.providerMessageIds()).containsExactly(s.messageId());
    assertThat(s.text()).isEqualTo("Hello {world}");
    assertThat(s.dataCoding()).isZero();
    assertThat(s.destAddr()).isEqualTo("4915112345678");
    assertThat(s.destTon()).isEqualTo(1);
    assertThat(s.destNpi()).isEqualTo(1);
    assertThat(s.sourceAddr()).isEqualTo("14155550100");
    assertThat(s.sourceTon()).isEqualTo(1);
    assertThat(s.registeredDelivery()).isEqualTo(1);
    assertThat(s.validityPeriod()).isEqualTo("000000020000000R");
  }

  @Test
  void alphanumericAndShortCodeSendersGetTheirTonNpi() throws Exception {
    started(builder());
    get(provider.send(request("a").toBuilder().from(Originator.alphanumeric("ACME")).build()));
    get(provider.send(request("b").toBuilder().from(Originator.shortCode("12345", "US")).build()));
    assertThat(smsc.accepted()).extracting(ReceivedSubmit::sourceAddr, ReceivedSubmit::sourceTon,
        ReceivedSubmit::sourceNpi).containsExactly(org.assertj.core.groups.Tuple.tuple("ACME", 5, 0),
        org.assertj.core.groups.Tuple.tuple("12345", 3, 1));
  }

  @ParameterizedTest
  @EnumSource(SmppSmsProvider.LongMessageMode.class)
  void longUcs2MessagesInEveryMode(SmppSmsProvider.LongMessageMode mode) throws Exception {
    started(builder().longMessageMode(mode));
    String text = "Привет мир, это длинное сообщение 👋 ".repeat(6);
    SendReceipt r = get(provider.send(request(text)));
    assertThat(r.parts()).isEqualTo(4);
    assertThat(smsc.acceptedTexts()).containsExactly(text);
    assertThat(smsc.accepted()).allSatisfy(s -> assertThat(s.dataCoding()).isEqualTo(8));
    if (mode == SmppSmsProvider.LongMessageMode.MESSAGE_PAYLOAD) {
      assertThat(smsc.accepted()).hasSize(1);
      assertThat(smsc.accepted().get(0).tlv(0x0424)).isPresent();
    } else {
      assertThat(r.providerMessageIds()).hasSize(4);
      assertThat(smsc.accepted()).extracting(ReceivedSubmit::partNumber).containsExactly(1, 2, 3, 4);
      assertThat(smsc.accepted()).extracting(ReceivedSubmit::esmClass).containsOnly(
          mode == SmppSmsProvider.LongMessageMode.SAR ? 0 : 0x40);
    }
  }

  @Test
  void latin1WhenAskedFor() throws Exception {
    started(builder().latin1(true));
    get(provider.send(request("Ça coûte 5 €? Non: 5 ¥ ô")));
    assertThat(smsc.accepted().get(0).dataCoding()).isEqualTo(8); // € is outside Latin-1
    get(provider.send(request("Ça coûte trop, ô ÿ")));
    ReceivedSubmit s = smsc.accepted().get(1);
    assertThat(s.dataCoding()).isEqualTo(3);
    assertThat(s.text()).isEqualTo("Ça coûte trop, ô ÿ");
  }

  @Test
  void carriesOurMessageIdInAVendorTlvWhenConfigured() throws Exception {
    started(builder().messageIdTag(0x1501));
    get(provider.send(request("x")));
    assertThat(new String(smsc.accepted().get(0).tlv(0x1501).orElseThrow(), StandardCharsets.US_ASCII))
        .isEqualTo("m1");
  }

  @Test
  void throttledAndRejectedSubmitsAreTyped() throws Exception {
    started(builder());
    smsc.onSubmit(s -> SubmitAction.reject(0x58));
    Throwable t = failure(provider.send(request("a")));
    assertThat(t).isInstanceOf(SmsThrottledException.class);
    assertThat(((SmsException) t).providerCode()).contains("0x00000058");
    smsc.onSubmit(s -> SubmitAction.reject(0x0B));
    assertThat(failure(provider.send(request("b")))).isInstanceOf(SmsRejectedException.class);
  }

  @Test
  void responseTimeoutIsPossiblyDelivered() throws Exception {
    started(builder().responseTimeout(Duration.ofMillis(300)));
    smsc.onSubmit(s -> SubmitAction.drop());
    Throwable t = failure(provider.send(request("a")));
    assertThat(t).isInstanceOf(SmsTransportException.class);
    assertThat(((SmsException) t).possiblyDelivered()).isTrue();
  }

  @Test
  void deliveryReceiptsCorrelateInHexOrDecimal() throws Exception {
    started(builder());
    SendReceipt r = get(provider.send(request("a")));
    String hex = r.providerMessageId();
    assertThat(smsc.deliverReceipt(hex, "DELIVRD")).isZero();
    String decimal = Long.toString(Long.parseLong(hex, 16));
    smsc.receiptTlvs(false);
    assertThat(smsc.deliverReceipt(decimal, "UNDELIV")).isZero();
    assertThat(RecordingListener.await(() -> listener.reports.size() == 2, Duration.ofSeconds(5))).isTrue();
    assertThat(listener.reports).extracting(DeliveryReport::providerMessageId).containsOnly(hex);
    assertThat(listener.reports).extracting(d -> d.messageId().orElseThrow()).containsOnly("m1");
    assertThat(listener.reports).extracting(DeliveryReport::status)
        .containsExactly(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED);
    assertThat(listener.reports.get(0).part()).isEqualTo(-1);
  }

  @Test
  void receiptBeforeSubmitResponseStillCorrelatesAndPartsAreNumbered() throws Exception {
    smsc.autoDeliveryReceipts(true, "DELIVRD").receiptBeforeResponse(true);
    started(builder());
    SendReceipt r = get(provider.send(request("x".repeat(400))));
    assertThat(r.parts()).isEqualTo(3);
    assertThat(RecordingListener.await(() -> listener.reports.size() == 3, Duration.ofSeconds(5))).isTrue();
    assertThat(listener.reports).extracting(d -> d.messageId().orElse(null)).containsOnly("m1");
    assertThat(listener.reports).extracting(DeliveryReport::part).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(listener.reports).extracting(DeliveryReport::providerMessageId)
        .containsExactlyInAnyOrderElementsOf(r.providerMessageIds());
  }

  @Test
  void mobileOriginatedSingleAndMultipart() throws Exception {
    started(builder().defaultRegion("US"));
    assertThat(smsc.deliverMo("+4915112345678", "+14155550100", "Hi there")).isZero();
    String longText = "Ответ клиента, довольно длинный. ".repeat(5);
    for (SmscSimulator.Concatenation c : SmscSimulator.Concatenation.values()) {
      assertThat(smsc.deliverMo("+4915112345678", "12345", longText + c, c)).isZero();
    }
    assertThat(RecordingListener.await(() -> listener.inbound.size() == 4, Duration.ofSeconds(5))).isTrue();
    InboundSms first = listener.inbound.get(0);
    assertThat(first.from()).isEqualTo(CUSTOMER);
    assertThat(first.to()).isEqualTo(BUSINESS);
    assertThat(first.body()).isEqualTo("Hi there");
    assertThat(listener.inbound.subList(1, 4)).allSatisfy(m -> {
      assertThat(m.to()).isEqualTo(Originator.shortCode("12345", "US"));
      assertThat(m.parts()).isGreaterThan(1);
    });
    assertThat(listener.inbound.subList(1, 4)).extracting(InboundSms::body).containsExactly(
        longText + "UDH_8BIT", longText + "UDH_16BIT", longText + "SAR");
  }

  @Test
  void listenerFailureAnswersTemporaryAppErrorSoTheSmscRedelivers() throws Exception {
    started(builder());
    listener.failNext = new IllegalStateException("database down");
    assertThat(smsc.deliverMo("+4915112345678", "+14155550100", "one")).isEqualTo(0x64);
    assertThat(smsc.deliverMo("+4915112345678", "+14155550100", "one")).isZero();
    listener.failNext = new IllegalStateException("database down");
    assertThat(smsc.deliverReceipt("abc", "DELIVRD")).isEqualTo(0x64);
    assertThat(listener.inbound).hasSize(1);
  }

  @Test
  void redeliveryOfARefusedMessageKeepsItsIdAndAGenuineRepeatGetsANewOne() throws Exception {
    started(builder());
    listener.failNext = new IllegalStateException("chat service answered 500");
    assertThat(smsc.deliverMo("+4915112345678", "+14155550100", "yes")).isEqualTo(0x64);
    assertThat(smsc.deliverMo("+4915112345678", "+14155550100", "yes")).isZero();   // the SMSC's redelivery
    assertThat(smsc.deliverMo("+4915112345678", "+14155550100", "yes")).isZero();   // the customer again
    assertThat(smsc.deliverMo("+4915112345678", "+14155550199", "yes")).isZero();   // to another number

    String refusedId = listener.refusedInbound.get(0).providerMessageId();
    assertThat(listener.inbound).extracting(InboundSms::providerMessageId)
        .hasSize(3).doesNotHaveDuplicates()
        .first().isEqualTo(refusedId);
  }

  @Test
  void badCredentialsFailOnceWithOneClearError() throws Exception {
    provider = builder().password("wrong").build();
    provider.start(listener);
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.FAILED, Duration.ofSeconds(5)))
        .isTrue();
    Throwable t = failure(provider.send(request("a")));
    assertThat(t).isInstanceOf(SmsConfigurationException.class).hasMessageContaining("ESME_RINVPASWD");
    assertThat(smsc.bindAttempts()).isEqualTo(1);
    assertThat(listener.details.toString()).doesNotContain("wrong");
  }

  @Test
  void sendsWaitWhileUnboundAndGoOutAfterRebind() throws Exception {
    started(builder());
    smsc.refuseBinds(0x08);
    smsc.killSessions();
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.DISCONNECTED, Duration.ofSeconds(5)))
        .isTrue();
    CompletableFuture<SendReceipt> f = provider.send(request("queued"));
    assertThat(f).isNotDone();
    smsc.refuseBinds(0);
    assertThat(get(f).parts()).isEqualTo(1);
    assertThat(smsc.acceptedTexts()).containsExactly("queued");
  }

  @Test
  void queueTimeoutAndFullQueueFailClearly() throws Exception {
    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    started(builder().queueCapacity(1).window(1).queueTimeout(Duration.ofMinutes(1)).clock(clock));
    smsc.refuseBinds(0x08);
    smsc.killSessions();
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.DISCONNECTED, Duration.ofSeconds(5)))
        .isTrue();
    // One send fits the queue (nothing takes it while no bind is up); the other four find it full, at once.
    List<CompletableFuture<SendReceipt>> sends = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sends.add(provider.send(request("q" + i)));
    }
    assertThat(sends.subList(1, 5)).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
    assertThat(sends.get(0)).isNotDone();
    assertThat(provider.queued()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(59));
    assertThat(sends.get(0)).isNotDone();
    // past the time to live on the provider's clock: the next housekeeping pass fails it
    clock.advance(Duration.ofSeconds(2));
    List<Throwable> failures = new java.util.ArrayList<>();
    for (CompletableFuture<SendReceipt> send : sends) {
      failures.add(failure(send));
    }
    assertThat(failures).allSatisfy(t -> assertThat(t).isInstanceOf(SmsTransportException.class));
    assertThat(failures.subList(1, 5)).allSatisfy(t -> assertThat(t).hasMessageContaining("queue is full"))
        .allSatisfy(t -> assertThat(((SmsException) t).possiblyDelivered()).isFalse());
    assertThat(failures.get(0)).hasMessageContaining("time to live").hasMessageContaining("no bind is up");
    assertThat(failures).allSatisfy(t -> assertThat(t.getMessage()).containsAnyOf("queue is full", "time to live"));
    assertThat(smsc.accepted()).isEmpty();
  }


  @Test
  void windowBoundsOutstandingSubmitsPerBindWithoutAThreadPerSlot() throws Exception {
    smsc.close();
    CountDownLatch answer = new CountDownLatch(1);
    AtomicInteger arrived = new AtomicInteger();
    smsc = SmscSimulator.builder().credentials("esme", "pw").pduThreads(12).build().start();
    smsc.onSubmit(s -> {
      arrived.incrementAndGet();
      try {
        answer.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return SubmitAction.accept();
    });
    started(builder().binds(2).window(4));
    assertThat(smsc.awaitBound(2, Duration.ofSeconds(5))).isTrue();
    List<CompletableFuture<SendReceipt>> sends = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(provider.send(request("w" + i)));
    }
    // 2 binds x window 4: eight submit_sm on the wire, twelve waiting in the queue, nothing answered yet
    assertThat(RecordingListener.await(() -> arrived.get() == 8, Duration.ofSeconds(5))).isTrue();
    assertThat(provider.queued()).isEqualTo(12);
    assertThat(sends).noneMatch(CompletableFuture::isDone);
    // the window is requests in flight, not threads: one supervisor per bind and the housekeeping thread
    assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("smpp-"))
        .extracting(Thread::getName).hasSize(3);
    answer.countDown();
    for (CompletableFuture<SendReceipt> f : sends) {
      assertThat(get(f).providerMessageIds()).hasSize(1);
    }
    assertThat(smsc.accepted()).hasSize(20);
    assertThat(arrived).hasValue(20);
    assertThat(provider.queued()).isZero();
  }

  @Test
  void aLongQueueOfSendsThatFailAtTheWireEndsEveryOneWithoutRecursing() throws Exception {
    // a service_type longer than SMPP's 5 characters is refused by the PDU composer, for every message, after it left
    // the queue: each failure frees the slot for the next one on the same thread
    started(builder().serviceType("TOOLONG").window(1));
    smsc.refuseBinds(0x08);
    smsc.killSessions();
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.DISCONNECTED, Duration.ofSeconds(5)))
        .isTrue();
    List<CompletableFuture<SendReceipt>> sends = new java.util.ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      sends.add(provider.send(request("x" + i)));
    }
    smsc.refuseBinds(0);
    for (CompletableFuture<SendReceipt> f : sends) {
      assertThat(failure(f)).isInstanceOf(SmsValidationException.class).hasMessageContaining("submit_sm");
    }
    assertThat(smsc.received()).isEmpty();
  }

  @Test
  void transmitterReceiverPairAndSeveralBinds() throws Exception {
    started(builder().bindMode(SmppSmsProvider.BindMode.TRANSMITTER_RECEIVER).binds(2));
    assertThat(smsc.awaitBound(4, Duration.ofSeconds(5))).isTrue();
    for (int i = 0; i < 20; i++) {
      get(provider.send(request("n" + i)));
    }
    assertThat(smsc.accepted()).hasSize(20);
    assertThat(smsc.deliverMo("+4915112345678", "+14155550100", "hi")).isZero();
    assertThat(RecordingListener.await(() -> listener.inbound.size() == 1, Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void partsPerSecondCapHolds() throws Exception {
    started(builder().partsPerSecond(50).window(5));
    long start = System.nanoTime();
    CompletableFuture<?>[] all = new CompletableFuture<?>[26];
    for (int i = 0; i < all.length; i++) {
      all[i] = provider.send(request("r" + i));
    }
    CompletableFuture.allOf(all).get(10, TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // 26 parts at 50/s need at least 25 intervals of 20 ms
    assertThat(millis).isGreaterThanOrEqualTo(480);
  }

  @Test
  void createdByNameThroughServiceLoader() {
    Map<String, String> settings = Map.of("smpp.host", "127.0.0.1", "smpp.port", String.valueOf(smsc.port()),
        "smpp.systemId", "esme", "smpp.password", "pw", "smpp.window", "3", "smpp.longMessages", "sar",
        "smpp.responseTimeout", "2s");
    try (SmsProvider p = SmsProviders.create("smpp", "primary", settings::get)) {
      assertThat(p).isInstanceOf(SmppSmsProvider.class);
      assertThat(p.name()).isEqualTo("primary");
      assertThat(p.toString()).doesNotContain("pw");
    }
    Throwable t = catchThrowable(() -> SmsProviders.create("smpp", Map.of("smpp.host", "h")::get));
    assertThat(t).isInstanceOf(SmsConfigurationException.class).hasMessageContaining("smpp.systemId");
    Throwable bad = catchThrowable(() -> SmsProviders.create("smpp", Map.of("smpp.host", "h", "smpp.systemId", "x",
        "smpp.window", "lots")::get));
    assertThat(bad).hasMessageContaining("smpp.window");
  }

  @Test
  void closeFailsQueuedSendsAndIsIdempotent() throws Exception {
    started(builder());
    smsc.refuseBinds(0x08);
    smsc.killSessions();
    assertThat(RecordingListener.await(() -> provider.state() == ProviderState.DISCONNECTED, Duration.ofSeconds(5)))
        .isTrue();
    CompletableFuture<SendReceipt> f = provider.send(request("a"));
    provider.close();
    provider.close();
    assertThat(failure(f)).isInstanceOf(SmsTransportException.class).hasMessageContaining("closed");
    assertThat(listener.last()).isEqualTo(ProviderState.CLOSED);
  }
}
