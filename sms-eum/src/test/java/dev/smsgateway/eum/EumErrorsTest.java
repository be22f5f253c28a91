package dev.smsgateway.eum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SubmitRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.pinpoint.PinpointAsyncClient;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;

@DisplayName("EumErrors: AWS failures -> SmsException categories")
class EumErrorsTest {

  static final PhoneNumber TO = PhoneNumber.of("+14255550156");
  static LoopbackHttpServer aws;
  static PinpointSmsVoiceV2AsyncClient smsVoice;
  static PinpointAsyncClient pinpoint;

  @BeforeAll
  static void start() throws Exception {
    aws = new LoopbackHttpServer(r -> LoopbackHttpServer.Reply.json(200, "{}"));
    smsVoice = TestSupport.smsVoice(aws.uri(), Duration.ofSeconds(5));
    pinpoint = TestSupport.pinpoint(aws.uri(), Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() {
    smsVoice.close();
    pinpoint.close();
    aws.close();
  }

  static SmsException send(EumSmsProvider provider) {
    CompletableFuture<SendReceipt> f = provider.send(SubmitRequest.builder().messageId("m").to(TO).body("hi").build());
    try {
      f.orTimeout(10, TimeUnit.SECONDS).join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return (SmsException) e.getCause();
    }
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource({
      // status, __type, Reason, expected, providerCode, possiblyDelivered
      "400, ThrottlingException, , SmsThrottledException, ThrottlingException, false",
      "402, ServiceQuotaExceededException, MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT, SmsRejectedException, ServiceQuotaExceededException:MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT, false",
      "400, ConflictException, DESTINATION_PHONE_NUMBER_OPTED_OUT, SmsOptedOutException, ConflictException:DESTINATION_PHONE_NUMBER_OPTED_OUT, false",
      "400, ConflictException, DESTINATION_PHONE_NUMBER_NOT_VERIFIED, SmsRejectedException, ConflictException:DESTINATION_PHONE_NUMBER_NOT_VERIFIED, false",
      "400, ConflictException, NO_ORIGINATION_IDENTITIES_FOUND, SmsConfigurationException, ConflictException:NO_ORIGINATION_IDENTITIES_FOUND, false",
      "400, ConflictException, MESSAGE_TYPE_MISMATCH, SmsConfigurationException, ConflictException:MESSAGE_TYPE_MISMATCH, false",
      "400, ValidationException, INVALID_PARAMETER, SmsRejectedException, ValidationException:INVALID_PARAMETER, false",
      "400, ValidationException, CANNOT_PARSE, SmsRejectedException, ValidationException:CANNOT_PARSE, false",
      "400, ValidationException, DESTINATION_COUNTRY_BLOCKED, SmsRejectedException, ValidationException:DESTINATION_COUNTRY_BLOCKED, false",
      "400, ValidationException, PRICE_OVER_THRESHOLD, SmsRejectedException, ValidationException:PRICE_OVER_THRESHOLD, false",
      "400, ValidationException, INVALID_IDENTITY_FOR_DESTINATION_COUNTRY, SmsRejectedException, ValidationException:INVALID_IDENTITY_FOR_DESTINATION_COUNTRY, false",
      "400, ValidationException, SENDER_ID_NOT_REGISTERED, SmsRejectedException, ValidationException:SENDER_ID_NOT_REGISTERED, false",
      "400, ValidationException, MAXIMUM_SIZE_EXCEEDED, SmsRejectedException, ValidationException:MAXIMUM_SIZE_EXCEEDED, false",
      "400, ValidationException, INVALID_ARN, SmsConfigurationException, ValidationException:INVALID_ARN, false",
      "400, ValidationException, MISSING_PARAMETER, SmsConfigurationException, ValidationException:MISSING_PARAMETER, false",
      "400, ValidationException, SOMETHING_NEW, SmsRejectedException, ValidationException:SOMETHING_NEW, false",
      "403, AccessDeniedException, ACCOUNT_DISABLED, SmsConfigurationException, AccessDeniedException:ACCOUNT_DISABLED, false",
      "404, ResourceNotFoundException, , SmsConfigurationException, ResourceNotFoundException, false",
      "500, InternalServerException, , SmsTransportException, InternalServerException, true",
      "503, ServiceUnavailable, , SmsTransportException, ServiceUnavailable, true",
      "400, UnrecognizedClientException, , SmsConfigurationException, UnrecognizedClientException, false",
      "403, InvalidSignatureException, , SmsConfigurationException, InvalidSignatureException, false",
      "429, SomethingNew, , SmsThrottledException, SomethingNew, false",
      "400, SomethingNew, , SmsRejectedException, SomethingNew, false",
  })
  @DisplayName("SendTextMessage errors, parsed by the real SDK from AWS JSON 1.0 answers")
  void sendTextMessage(int status, String type, String reason, String expected, String providerCode,
      boolean possiblyDelivered) {
    String body = "{\"__type\":\"com.amazonaws.pinpointsmsvoicev2#" + type + "\",\"Message\":\"explained for"
        + " +14255550156\""
        + (reason == null ? "" : ",\"Reason\":\"" + reason + "\"") + "}";
    aws.respond(r -> LoopbackHttpServer.Reply.json(status, body));
    try (EumSmsProvider provider = EumSmsProvider.builder().name("aws").smsVoiceClient(smsVoice).build()) {
      SmsException e = send(provider);
      assertThat(e.getClass().getSimpleName()).isEqualTo(expected);
      assertThat(e.providerCode()).contains(providerCode);
      assertThat(e.provider()).contains("aws");
      assertThat(e.possiblyDelivered()).isEqualTo(possiblyDelivered);
      assertThat(e.getMessage()).doesNotContain("+14255550156");
      if (e instanceof SmsOptedOutException o) {
        assertThat(o.recipient()).isEqualTo(TO);
      }
    }
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "429, TooManyRequestsException, SmsThrottledException, false",
      "400, BadRequestException, SmsRejectedException, false",
      "413, PayloadTooLargeException, SmsRejectedException, false",
      "403, ForbiddenException, SmsConfigurationException, false",
      "404, NotFoundException, SmsConfigurationException, false",
      "405, MethodNotAllowedException, SmsConfigurationException, false",
      "500, InternalServerErrorException, SmsTransportException, true",
  })
  @DisplayName("Pinpoint SendMessages errors, parsed by the real SDK from REST-JSON answers")
  void pinpoint(int status, String type, String expected, boolean possiblyDelivered) {
    aws.respond(r -> new LoopbackHttpServer.Reply(status, "application/json",
        "{\"Message\":\"explained\",\"RequestID\":\"r-1\"}", java.util.Map.of("x-amzn-ErrorType", type)));
    try (EumSmsProvider provider = EumSmsProvider.builder().name("pp").mode(EumMode.PINPOINT_PROJECT)
        .pinpointClient(pinpoint).applicationId("app-1").build()) {
      SmsException e = send(provider);
      assertThat(e.getClass().getSimpleName()).isEqualTo(expected);
      assertThat(e.providerCode()).contains(type);
      assertThat(e.possiblyDelivered()).isEqualTo(possiblyDelivered);
    }
  }

  @ParameterizedTest(name = "{0} -> {1}, possiblyDelivered={2}")
  @CsvSource({
      "api-call-timeout, SmsTransportException, true",
      "attempt-timeout, SmsTransportException, true",
      "connection-reset, SmsTransportException, true",
      "io-closed, SmsTransportException, true",
      "connect-refused, SmsTransportException, false",
      "unknown-host, SmsTransportException, false",
      "marshalling, SmsTransportException, false",
      "no-credentials, SmsConfigurationException, false",
  })
  @DisplayName("client-side failures: after the request was written possibly delivered, before it not")
  void clientSide(String kind, String expected, boolean possiblyDelivered) {
    Throwable failure = switch (kind) {
      case "api-call-timeout" -> ApiCallTimeoutException.create(1500);
      case "attempt-timeout" -> ApiCallAttemptTimeoutException.create(1500);
      case "connection-reset" -> SdkClientException.create("Unable to execute HTTP request: Connection reset",
          new SocketException("Connection reset"));
      case "io-closed" -> SdkClientException.create("Unable to execute HTTP request",
          new IOException("The channel was closed before the protocol could complete"));
      case "connect-refused" -> SdkClientException.create("Unable to execute HTTP request",
          new ConnectException("Connection refused"));
      case "unknown-host" -> SdkClientException.create("Unable to execute HTTP request",
          new UnknownHostException("sms-voice.us-east-1.amazonaws.com"));
      case "marshalling" -> SdkClientException.create("Unable to marshall request to JSON: bad value");
      case "no-credentials" -> SdkClientException.create("Unable to load credentials from any of the providers in"
          + " the chain AwsCredentialsProviderChain");
      default -> throw new IllegalArgumentException(kind);
    };
    SmsException e = EumErrors.map(new CompletionException(failure), "aws", TO);
    assertThat(e.getClass().getSimpleName()).isEqualTo(expected);
    assertThat(e.possiblyDelivered()).isEqualTo(possiblyDelivered);
    assertThat(e.getCause()).isSameAs(failure);
  }
}
