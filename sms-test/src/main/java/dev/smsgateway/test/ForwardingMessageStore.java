package dev.smsgateway.test;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.ProviderLink;
import dev.smsgateway.store.ReportMerge;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link MessageStore} that forwards every call to another one: the base of a test's decorator that changes a few
 * calls (counts them, answers some later, fails one) and leaves the rest to a real store.
 *
 * <p>It forwards each abstract method and the synchronous methods with a default ({@link #recordSent},
 * {@link #mergeReport}), so the delegate's own versions run. The asynchronous defaults ({@code recordSentAsync},
 * {@code mergeReportAsync}, {@code takeParkedAsync}) are left as the interface has them: they call the synchronous
 * method of this store on the calling thread, so a decorator that overrides a synchronous method sees those calls too;
 * override an asynchronous one to answer it another way.
 *
 * <p>Thread-safe as its delegate is.
 */
public class ForwardingMessageStore implements MessageStore {

  /** The store every call goes to. */
  protected final MessageStore delegate;

  /** Forwards to {@code delegate}. */
  public ForwardingMessageStore(MessageStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate == null");
  }

  @Override
  public Optional<String> claimIdempotencyKey(String key, String messageId, Instant expiresAt) {
    return delegate.claimIdempotencyKey(key, messageId, expiresAt);
  }

  @Override
  public void save(MessageRecord record) {
    delegate.save(record);
  }

  @Override
  public Optional<MessageRecord> find(String messageId) {
    return delegate.find(messageId);
  }

  @Override
  public void linkProviderIds(String messageId, String provider, List<String> providerMessageIds) {
    delegate.linkProviderIds(messageId, provider, providerMessageIds);
  }

  @Override
  public void recordSent(MessageRecord record, String linkProvider, List<String> providerMessageIds) {
    delegate.recordSent(record, linkProvider, providerMessageIds);
  }

  @Override
  public Optional<ProviderLink> findLink(String provider, String providerMessageId) {
    return delegate.findLink(provider, providerMessageId);
  }

  @Override
  public Optional<MessageRecord> applyReport(String messageId, int part, DeliveryStatus status, String errorCode,
      Instant at) {
    return delegate.applyReport(messageId, part, status, errorCode, at);
  }

  @Override
  public Optional<ReportMerge> mergeReport(String messageId, int part, DeliveryStatus status, String errorCode,
      Instant at) {
    return delegate.mergeReport(messageId, part, status, errorCode, at);
  }

  @Override
  public void park(DeliveryReport report, Instant expiresAt) {
    delegate.park(report, expiresAt);
  }

  @Override
  public List<DeliveryReport> takeParked(String provider, String providerMessageId) {
    return delegate.takeParked(provider, providerMessageId);
  }

  @Override
  public boolean markSeen(String key, Instant expiresAt) {
    return delegate.markSeen(key, expiresAt);
  }

  @Override
  public void unmarkSeen(String key) {
    delegate.unmarkSeen(key);
  }

  @Override
  public long addToCounter(String key, long delta, Instant expiresAt) {
    return delegate.addToCounter(key, delta, expiresAt);
  }

  @Override
  public long counter(String key) {
    return delegate.counter(key);
  }

  @Override
  public int purgeExpired() {
    return delegate.purgeExpired();
  }
}
