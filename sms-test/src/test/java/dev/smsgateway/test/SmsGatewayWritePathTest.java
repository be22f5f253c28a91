package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.ProviderLink;
import dev.smsgateway.store.ReportMerge;
import dev.smsgateway.test.RecordingSmsProvider.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The gateway's write path: one message-store write per sent message (the record and its provider links together),
 * nothing written when a send is accepted, the end of a send run off the thread that answered the write when the
 * store answers later, and the send's future completed only after the write is durable.
 */
class SmsGatewayWritePathTest {

  final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  SmsGateway gateway;
  ExecutorService callbacks;

  @AfterEach
  void tearDown() {
    if (gateway != null) {
      gateway.close();
    }
    if (callbacks != null) {
      callbacks.shutdownNow();
    }
  }

  static OutboundSms sms() {
    return OutboundSms.builder().to("+14155550100").body("Hi").build();
  }

  @Test
  @DisplayName("a sent message is one store write (record + links), and nothing is written when it is accepted")
  void oneWritePerSend() throws Exception {
    CountingStore store = new CountingStore(new InMemoryMessageStore(clock));
    RecordingSmsProvider primary = RecordingSmsProvider.builder().name("primary").clock(clock).build();
    primary.enqueue(Outcome.pending());
    gateway = SmsGateway.builder().provider(primary).clock(clock).messageStore(store).build();
    gateway.start();
    CompletableFuture<SendReceipt> f = gateway.send(sms());
    assertThat(store.writes).hasValue(0);
    String id = primary.lastSubmitted().messageId();
    // in flight: status() answers from memory
    assertThat(gateway.status(id).orElseThrow().status()).isEqualTo(DeliveryStatus.ACCEPTED);
    assertThat(primary.releasePending()).isTrue();
    SendReceipt receipt = f.get(5, TimeUnit.SECONDS);
    assertThat(store.writes).hasValue(1);
    assertThat(store.recordSent).hasValue(1);
    assertThat(store.find(id).orElseThrow().provider()).isEqualTo("primary");
    assertThat(store.findLink("primary", receipt.providerMessageIds().get(0))).contains(new ProviderLink(id, 0));
  }

  @Test
  @DisplayName("a store that answers later: the future completes only after the write, onSent runs on the callback "
      + "executor, not the store's thread")
  void durableBeforeCompletion() throws Exception {
    DeferredStore store = new DeferredStore(new InMemoryMessageStore(clock));
    RecordingSmsProvider primary = RecordingSmsProvider.builder().name("primary").clock(clock).build();
    List<String> sentOn = Collections.synchronizedList(new ArrayList<>());
    callbacks = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"));
    gateway = SmsGateway.builder().provider(primary).clock(clock).messageStore(store).callbackExecutor(callbacks)
        .listener(new GatewayListener() {
          @Override
          public void onSent(SendReceipt receipt) {
            sentOn.add(Thread.currentThread().getName());
          }
        }).build();
    gateway.start();
    CompletableFuture<SendReceipt> f = gateway.send(sms());
    assertThat(store.pending).hasSize(1);
    assertThat(f).isNotDone();
    assertThat(sentOn).isEmpty();
    Thread storeThread = new Thread(() -> store.pending.get(0).complete(null), "store-commit");
    storeThread.start();
    storeThread.join();
    SendReceipt receipt = f.get(5, TimeUnit.SECONDS);
    assertThat(sentOn).containsExactly("app-callbacks");
    assertThat(store.find(receipt.messageId())).isPresent();
  }

  @Test
  @DisplayName("the provider took the message but the write failed: onFailed, possibly delivered, never retried")
  void writeFailsAfterTheProviderTookIt() {
    DeferredStore store = new DeferredStore(new InMemoryMessageStore(clock));
    RecordingSmsProvider primary = RecordingSmsProvider.builder().name("primary").clock(clock).build();
    List<SmsException> failed = Collections.synchronizedList(new ArrayList<>());
    gateway = SmsGateway.builder().provider(primary).clock(clock).messageStore(store)
        .listener(new GatewayListener() {
          @Override
          public void onFailed(String messageId, SmsException error) {
            failed.add(error);
          }
        }).build();
    gateway.start();
    CompletableFuture<SendReceipt> f = gateway.send(sms());
    store.pending.get(0).completeExceptionally(new SmsTransportException("disk full", null, null, false, null));
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> f.get(5, TimeUnit.SECONDS));
    assertThat(e.getCause()).isInstanceOf(SmsTransportException.class);
    assertThat(((SmsException) e.getCause()).possiblyDelivered()).isTrue();
    assertThat(failed).hasSize(1);
    assertThat(primary.submitted()).hasSize(1);
    assertThat(store.find(primary.lastSubmitted().messageId()).orElseThrow().status())
        .isEqualTo(DeliveryStatus.UNKNOWN);
  }

  @Test
  @DisplayName("a send that fails writes its record once, with the failure")
  void failureRecorded() {
    CountingStore store = new CountingStore(new InMemoryMessageStore(clock));
    RecordingSmsProvider primary = RecordingSmsProvider.builder().name("primary").clock(clock).build();
    primary.enqueue(Outcome.reject("0x0B"));
    gateway = SmsGateway.builder().provider(primary).clock(clock).messageStore(store).build();
    gateway.start();
    CompletableFuture<SendReceipt> f = gateway.send(sms());
    assertThat(f).isCompletedExceptionally();
    MessageRecord r = store.find(primary.lastSubmitted().messageId()).orElseThrow();
    assertThat(r.status()).isEqualTo(DeliveryStatus.REJECTED);
    assertThat(r.errorCode()).isEqualTo("0x0B");
  }

  @Test
  @DisplayName("a delivery report for a message this gateway recorded finds it without reading the store's links;"
      + " one for a message recorded by another gateway reads them")
  void reportWithoutLinkRead() throws Exception {
    CountingStore store = new CountingStore(new InMemoryMessageStore(clock));
    RecordingSmsProvider primary = RecordingSmsProvider.builder().name("primary").clock(clock).build();
    List<DeliveryStatus> reported = Collections.synchronizedList(new ArrayList<>());
    gateway = SmsGateway.builder().provider(primary).clock(clock).messageStore(store)
        .listener(new GatewayListener() {
          @Override
          public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
            reported.add(merged);
          }
        }).build();
    gateway.start();
    SendReceipt receipt = gateway.send(sms()).get(5, TimeUnit.SECONDS);
    primary.deliverReport(receipt, DeliveryStatus.DELIVERED);
    assertThat(reported).containsExactly(DeliveryStatus.DELIVERED);
    assertThat(store.findLink).hasValue(0);
    assertThat(store.find(receipt.messageId()).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);

    // another gateway sent this one (its record and links are in the shared store only)
    MessageRecord elsewhere = MessageRecord.accepted("m-elsewhere", "primary",
        dev.smsgateway.PhoneNumber.of("+14155550100"), null, 1, clock.instant());
    store.delegate.recordSent(elsewhere, "primary", List.of("p-elsewhere"));
    primary.deliverReport(DeliveryReport.builder().provider("primary").providerMessageId("p-elsewhere")
        .status(DeliveryStatus.DELIVERED).rawStatus("DELIVERED").occurredAt(clock.instant()).build());
    assertThat(store.findLink).hasPositiveValue();
    assertThat(store.find("m-elsewhere").orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(reported).containsExactly(DeliveryStatus.DELIVERED, DeliveryStatus.DELIVERED);
  }

  /** Counts writes; forwards everything. */
  static class CountingStore extends ForwardingMessageStore {
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger recordSent = new AtomicInteger();
    final AtomicInteger findLink = new AtomicInteger();

    CountingStore(MessageStore delegate) {
      super(delegate);
    }

    @Override
    public Optional<String> claimIdempotencyKey(String key, String messageId, Instant expiresAt) {
      writes.incrementAndGet();
      return delegate.claimIdempotencyKey(key, messageId, expiresAt);
    }

    @Override
    public void save(MessageRecord record) {
      writes.incrementAndGet();
      delegate.save(record);
    }

    @Override
    public void linkProviderIds(String messageId, String provider, List<String> providerMessageIds) {
      writes.incrementAndGet();
      delegate.linkProviderIds(messageId, provider, providerMessageIds);
    }

    @Override
    public void recordSent(MessageRecord record, String linkProvider, List<String> providerMessageIds) {
      writes.incrementAndGet();
      recordSent.incrementAndGet();
      delegate.recordSent(record, linkProvider, providerMessageIds);
    }

    @Override
    public Optional<ProviderLink> findLink(String provider, String providerMessageId) {
      findLink.incrementAndGet();
      return delegate.findLink(provider, providerMessageId);
    }

    @Override
    public Optional<MessageRecord> applyReport(String messageId, int part, DeliveryStatus status, String errorCode,
        Instant at) {
      writes.incrementAndGet();
      return delegate.applyReport(messageId, part, status, errorCode, at);
    }

    @Override
    public Optional<ReportMerge> mergeReport(String messageId, int part, DeliveryStatus status, String errorCode,
        Instant at) {
      writes.incrementAndGet();
      return delegate.mergeReport(messageId, part, status, errorCode, at);
    }
  }

  /** Answers recordSentAsync later, when the test completes the future (having written the record first). */
  static final class DeferredStore extends CountingStore {
    final List<CompletableFuture<Void>> pending = Collections.synchronizedList(new ArrayList<>());

    DeferredStore(MessageStore delegate) {
      super(delegate);
    }

    @Override
    public CompletableFuture<Void> recordSentAsync(MessageRecord record, String linkProvider,
        List<String> providerMessageIds) {
      CompletableFuture<Void> written = new CompletableFuture<>();
      pending.add(written);
      // the write itself happens only if the test lets it succeed
      return written.thenRun(() -> delegate.recordSent(record, linkProvider, providerMessageIds));
    }
  }
}
