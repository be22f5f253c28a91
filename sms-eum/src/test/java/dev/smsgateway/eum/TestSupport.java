package dev.smsgateway.eum;

import dev.smsgateway.aws.SendOnce;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.ProviderState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkAsyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpoint.PinpointAsyncClient;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

/** Shared test wiring: real SDK clients pointed at a loopback server with fake static credentials. */
final class TestSupport {

  static final String ACCESS_KEY = "AKIDEUMTEST0000000001";
  static final String SECRET_KEY = "eumTestSecretKey/doNotLog/0123456789abcdef";
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));

  private TestSupport() {}

  static PinpointSmsVoiceV2AsyncClient smsVoice(URI endpoint, Duration apiCallTimeout) {
    return smsVoice(endpoint, apiCallTimeout, CREDENTIALS);
  }

  static PinpointSmsVoiceV2AsyncClient smsVoice(URI endpoint, Duration apiCallTimeout,
      AwsCredentialsProvider credentials) {
    return local(PinpointSmsVoiceV2AsyncClient.builder(), endpoint, apiCallTimeout, credentials);
  }

  static PinpointAsyncClient pinpoint(URI endpoint, Duration apiCallTimeout) {
    return pinpoint(endpoint, apiCallTimeout, CREDENTIALS);
  }

  static PinpointAsyncClient pinpoint(URI endpoint, Duration apiCallTimeout, AwsCredentialsProvider credentials) {
    return local(PinpointAsyncClient.builder(), endpoint, apiCallTimeout, credentials);
  }

  static SnsAsyncClient sns(URI endpoint) {
    return local(SnsAsyncClient.builder(), endpoint, null, CREDENTIALS);
  }

  /**
   * A real SDK client for a loopback stand-in: {@code credentials}, the CRT HTTP client and {@link SendOnce}, as the
   * factory builds them; {@code apiCallTimeout} null leaves the SDK's.
   */
  private static <B extends AwsClientBuilder<B, C> & SdkAsyncClientBuilder<B, C>, C> C local(B builder, URI endpoint,
      Duration apiCallTimeout, AwsCredentialsProvider credentials) {
    return builder.region(Region.US_EAST_1)
        .endpointOverride(endpoint)
        .credentialsProvider(credentials)
        .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
        .overrideConfiguration(o -> {
          o.retryStrategy(SendOnce.strategy());
          if (apiCallTimeout != null) {
            o.apiCallTimeout(apiCallTimeout);
          }
        })
        .build();
  }

  static WebhookResponse post(SnsWebhookHandler handler, String body) {
    return handler.handle("POST", URI.create("https://example.test/sns"),
        Map.of("Content-Type", List.of("text/plain; charset=UTF-8")),
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  /** Records what a provider delivers; can be told to throw. */
  static final class RecordingListener implements ProviderListener {
    final List<InboundSms> inbound = new CopyOnWriteArrayList<>();
    final List<DeliveryReport> reports = new CopyOnWriteArrayList<>();
    final List<ProviderState> states = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresToInject = new AtomicInteger();

    @Override
    public void onInbound(InboundSms sms) {
      maybeFail();
      inbound.add(sms);
    }

    @Override
    public void onDeliveryReport(DeliveryReport report) {
      maybeFail();
      reports.add(report);
    }

    @Override
    public void onStateChange(String provider, ProviderState state, String detail) {
      states.add(state);
    }

    private void maybeFail() {
      if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("injected listener failure");
      }
    }
  }

  /** A certificate fetcher that serves fixed PEM bytes per URL and counts calls. */
  static final class CountingFetcher implements SnsCertificateFetcher {
    final AtomicInteger calls = new AtomicInteger();
    final List<URI> urls = new CopyOnWriteArrayList<>();
    volatile Map<String, String> pems;

    CountingFetcher(Map<String, String> pems) {
      this.pems = pems;
    }

    @Override
    public byte[] fetch(URI url) throws IOException {
      calls.incrementAndGet();
      urls.add(url);
      String pem = pems.get(url.toString());
      if (pem == null) {
        throw new IOException("404 for " + url);
      }
      return pem.getBytes(StandardCharsets.US_ASCII);
    }
  }
}
