package dev.smsgateway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

class SendOnceTest {

  @Test
  void oneAttemptNoDelayNeverARetryWhateverTheBuilderSays() {
    SendOnce s = SendOnce.strategy();
    assertThat(s.maxAttempts()).isEqualTo(1);
    RetryToken token = s.acquireInitialToken(AcquireInitialTokenRequest.create("scope")).token();
    assertThat(s.acquireInitialToken(AcquireInitialTokenRequest.create("scope")).delay()).isEqualTo(Duration.ZERO);
    IllegalStateException failure = new IllegalStateException("throttled for +14155550123");
    Throwable t = catchThrowable(() -> s.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token)
        .failure(failure).build()));
    assertThat(t).isInstanceOf(TokenAcquisitionFailedException.class).hasCause(failure);
    assertThat(s.toBuilder().maxAttempts(5).build()).isSameAs(s);
  }
}
