package dev.smsgateway.eum;

import static dev.smsgateway.test.SecretAssertions.assertNoSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsProviders;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.test.AwsRefusals;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.pinpoint.PinpointAsyncClient;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;

/**
 * X2: the AWS secret key and session token never show in a {@code toString()} or in an exception (message or cause
 * chain), also when the AWS stand-in refuses the credentials and quotes the request back, as AWS does for a signature
 * mismatch (its message carries the canonical request, {@code x-amz-security-token} included).
 */
class CredentialHygieneTest {

  static final String ACCESS_KEY = "AKIDX2EUM00000000001";
  static final String SECRET_KEY = "S3cr3t-X2-eum-secretkey";
  static final String SESSION_TOKEN = "S3cr3t-X2-eum-sessiontoken";
  static final String[] SECRETS = {SECRET_KEY, SESSION_TOKEN};
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN));

  // One server and one pair of clients for the class: closing an SDK async client waits out Netty's quiet period.
  static LoopbackHttpServer aws;
  static PinpointSmsVoiceV2AsyncClient smsVoice;
  static PinpointAsyncClient pinpoint;

  @BeforeAll
  static void start() throws Exception {
    aws = new LoopbackHttpServer(r -> LoopbackHttpServer.Reply.json(500, "{}"));
    smsVoice = TestSupport.smsVoice(aws.uri(), Duration.ofSeconds(5), CREDENTIALS);
    pinpoint = TestSupport.pinpoint(aws.uri(), Duration.ofSeconds(5), CREDENTIALS);
  }

  @BeforeEach
  void forget() {
    aws.clear();
  }

  @AfterAll
  static void stop() {
    smsVoice.close();
    pinpoint.close();
    aws.close();
  }

  /** What AWS says when a signature does not match: the canonical request it expected, signed headers included. */
  static String signatureMismatch(LoopbackHttpServer.Recorded r) {
    return AwsRefusals.signatureMismatch(r.method(), r.path(), r::header);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("InvalidSignatureException quoting the canonical request", 400, "InvalidSignatureException", true),
        Arguments.of("UnrecognizedClientException", 400, "UnrecognizedClientException", false),
        Arguments.of("AccessDeniedException", 403, "AccessDeniedException", false),
        Arguments.of("an unknown 403 quoting the request", 403, "SignatureDoesNotMatch", true),
        Arguments.of("ExpiredTokenException quoting the request", 400, "ExpiredTokenException", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  @DisplayName("refused credentials (SendTextMessage and Pinpoint SendMessages): no secret in the error or its causes")
  void refusedCredentials(String what, int status, String type, boolean quote) throws Exception {
    aws.respond(r -> {
      String message = quote ? signatureMismatch(r) : "The security token included in the request is invalid.";
      return new LoopbackHttpServer.Reply(status, r.path().equals("/") ? "application/x-amz-json-1.0"
          : "application/json", "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}",
          Map.of("x-amzn-ErrorType", type));
    });
    SubmitRequest request = SubmitRequest.builder().messageId("x2").to(PhoneNumber.of("+14155550123"))
        .body("hello").build();
    EumSmsProvider[] providers = {
        EumSmsProvider.builder().name("x2").smsVoiceClient(smsVoice).build(),
        EumSmsProvider.builder().name("x2p").mode(EumMode.PINPOINT_PROJECT).pinpointClient(pinpoint)
            .applicationId("app-1").build()};
    for (EumSmsProvider provider : providers) {
      Throwable t = catchThrowable(() -> provider.send(request).get(10, TimeUnit.SECONDS));
      assertThat(t).isInstanceOf(ExecutionException.class);
      assertThat(t.getCause()).isInstanceOf(SmsConfigurationException.class);
      assertNoSecret(t.getCause(), SECRETS);
      assertNoSecret(provider, SECRETS);
    }
    assertThat(aws.requests()).hasSize(2);
    // The stand-in saw the session token: it was there to be quoted.
    assertThat(aws.requests()).allSatisfy(r -> assertThat(r.header("X-Amz-Security-Token")).isEqualTo(SESSION_TOKEN));
  }

  @Test
  @DisplayName("toString of providers and webhook handler built on clients holding session credentials shows no secret")
  void toStrings() {
    EumSmsProvider.Builder b = EumSmsProvider.builder().name("x2").smsVoiceClient(smsVoice);
    assertNoSecret(b, SECRETS);
    EumSmsProvider provider = b.build();
    assertNoSecret(provider, SECRETS);
    assertNoSecret(EumSmsProvider.builder().mode(EumMode.PINPOINT_PROJECT).pinpointClient(pinpoint)
        .applicationId("app-1").build(), SECRETS);
    assertNoSecret(SnsWebhookHandler.builder(provider).allowTopicArns(java.util.List.of(
        "arn:aws:sns:us-east-1:123456789012:x2")).build(), SECRETS);
  }

  @Test
  @DisplayName("a provider created by name with credentials from system properties: no secret in toString or a 403")
  void createdBySettings() throws Exception {
    Map<String, String> props = Map.of("aws.accessKeyId", ACCESS_KEY, "aws.secretAccessKey", SECRET_KEY,
        "aws.sessionToken", SESSION_TOKEN);
    Map<String, String> before = new java.util.HashMap<>();
    props.forEach((k, v) -> before.put(k, System.setProperty(k, v)));
    aws.respond(r -> new LoopbackHttpServer.Reply(400, "application/x-amz-json-1.0",
        "{\"__type\":\"InvalidSignatureException\",\"message\":\"" + signatureMismatch(r) + "\"}",
        Map.of("x-amzn-ErrorType", "InvalidSignatureException")));
    try (SmsProvider p = SmsProviders.create("eum", "x2", Map.of("eum.region", "us-east-1",
        "eum.endpoint", aws.uri().toString())::get)) {
      assertNoSecret(p, SECRETS);
      Throwable t = catchThrowable(() -> p.send(SubmitRequest.builder().messageId("x2f")
          .to(PhoneNumber.of("+14155550123")).body("hello").build()).get(10, TimeUnit.SECONDS));
      assertThat(t.getCause()).isInstanceOf(SmsConfigurationException.class);
      assertNoSecret(t.getCause(), SECRETS);
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
    assertThat(aws.requests()).singleElement()
        .satisfies(r -> assertThat(r.header("X-Amz-Security-Token")).isEqualTo(SESSION_TOKEN));
  }
}
