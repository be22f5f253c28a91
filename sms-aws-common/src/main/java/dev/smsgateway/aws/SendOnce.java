package dev.smsgateway.aws;

import dev.smsgateway.aws.SendOnce;
import java.time.Duration;
import java.util.function.Predicate;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * An AWS SDK retry strategy that makes exactly one attempt and logs nothing. The SDK's own
 * {@code AwsRetryStrategy.doNotRetry()} also makes one attempt, but logs every failed attempt at DEBUG with the
 * service's exception, whose message can quote request values such as the destination number (docs/reliability.md
 * X1). The
 * gateway's {@code RetryPolicy} decides about retries; the SDK never resends an SMS.
 *
 * <p>Immutable and thread-safe.
 */
public final class SendOnce implements RetryStrategy {

  private static final SendOnce INSTANCE = new SendOnce();
  private static final RetryToken TOKEN = new RetryToken() {};

  private SendOnce() {}

  /** The strategy (stateless, shared). */
  public static SendOnce strategy() {
    return INSTANCE;
  }

  @Override
  public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
    return AcquireInitialTokenResponse.create(TOKEN, Duration.ZERO);
  }

  @Override
  public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
    throw new TokenAcquisitionFailedException("sent once; the gateway decides about retries", request.token(),
        request.failure());
  }

  @Override
  public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
    return RecordSuccessResponse.create(request.token());
  }

  @Override
  public int maxAttempts() {
    return 1;
  }

  @Override
  public Builder toBuilder() {
    return new Builder();
  }

  /** Builds {@link SendOnce}; every retry setting is ignored, since it never retries. */
  public static final class Builder implements RetryStrategy.Builder<Builder, SendOnce> {
    @Override
    public Builder retryOnException(Predicate<Throwable> shouldRetry) {
      return this;
    }

    @Override
    public Builder maxAttempts(int maxAttempts) {
      return this;
    }

    @Override
    public Builder backoffStrategy(BackoffStrategy backoffStrategy) {
      return this;
    }

    @Override
    public Builder throttlingBackoffStrategy(BackoffStrategy backoffStrategy) {
      return this;
    }

    @Override
    public Builder treatAsThrottling(Predicate<Throwable> treatAsThrottling) {
      return this;
    }

    @Override
    public SendOnce build() {
      return INSTANCE;
    }
  }
}
