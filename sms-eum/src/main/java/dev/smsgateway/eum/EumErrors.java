package dev.smsgateway.eum;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.AccessDeniedException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ConflictException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.ValidationException;

/**
 * Maps aws-sdk-java-v2 failures of {@code SendTextMessage} (pinpoint-sms-voice-v2, AWS JSON 1.0) and of Pinpoint
 * {@code SendMessages} (REST-JSON) to the {@link SmsException} categories.
 *
 * <p>The key rule: {@code SendTextMessage} has no client token, so anything that fails after the request may have
 * reached AWS (a 5xx, an API-call timeout, a connection reset while waiting for the answer) is a
 * {@link SmsTransportException} with {@code possiblyDelivered = true}; only failures that certainly happened before
 * the request was written (connect refused, DNS, TLS handshake, marshalling) are plain retryable transport errors.
 *
 * <p>Error codes: https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html#API_SendTextMessage_Errors
 * and https://docs.aws.amazon.com/pinpoint/latest/apireference/apps-application-id-messages.html#apps-application-id-messages-responses
 *
 * <p>Thread-safe (stateless).
 */
final class EumErrors {

  /** The key we put our message id under in {@code Context}, and read it back from in delivery events. */
  static final String CONTEXT_MESSAGE_ID = "smsGatewayMessageId";

  // ValidationException reasons that say "fix the set-up", not "this destination or text cannot be sent".
  private static final Set<String> CONFIGURATION_VALIDATION_REASONS = Set.of("INVALID_ARN", "MISSING_PARAMETER",
      "UNKNOWN_OPERATION", "PARAMETERS_CANNOT_BE_USED_TOGETHER", "UNSPECIFIED_PARAMETER_NOT_SUPPORTED",
      "RESOURCE_NOT_ACCESSIBLE", "TWO_WAY_NOT_ENABLED", "TWO_WAY_TOPIC_NOT_PRESENT", "TWO_WAY_CHANNEL_NOT_PRESENT");

  // ConflictException reasons that are about the destination, so this message is refused but others may go.
  private static final Set<String> DESTINATION_CONFLICT_REASONS = Set.of("DESTINATION_PHONE_NUMBER_NOT_VERIFIED",
      "DESTINATION_COUNTRY_BLOCKED_BY_PROTECT_CONFIGURATION", "DESTINATION_PHONE_NUMBER_BLOCKED_BY_PROTECT_NUMBER_OVERRIDE");

  // AWS error messages sometimes quote the destination ("+14255550100 is opted out"); our messages never show whole
  // phone numbers.
  private static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{7,15}");

  private EumErrors() {}

  /**
   * Maps a failure of a send to {@code destination}.
   *
   * @param failure what the SDK future completed with (wrappers are unwrapped)
   */
  static SmsException map(Throwable failure, String provider, PhoneNumber destination) {
    Throwable t = unwrap(failure);
    if (t instanceof SmsException sms) {
      return sms;
    }
    if (t instanceof AwsServiceException aws) {
      return service(aws, provider, destination);
    }
    if (t instanceof SdkServiceException service) {
      return byStatus(service.statusCode(), "SdkServiceException", service.getMessage(), provider, service);
    }
    if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
      return new SmsTransportException("AWS did not answer within the API call timeout; the message may have been sent"
          + " (SendTextMessage has no client token, so it is not retried blindly)", provider,
          t.getClass().getSimpleName(), true, t);
    }
    if (t instanceof SdkClientException client) {
      return client(client, provider);
    }
    return new SmsTransportException("unexpected failure calling AWS: " + t, provider, t.getClass().getSimpleName(),
        true, t);
  }

  private static SmsException service(AwsServiceException e, String provider, PhoneNumber destination) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String message = maskNumbers(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
    String type = code != null ? code : e.getClass().getSimpleName();
    String detail = type + (message == null ? "" : ": " + message);
    return switch (type) {
      // pinpoint-sms-voice-v2
      case "ThrottlingException" -> new SmsThrottledException("AWS throttled the send (" + detail + ")", provider, type,
          null);
      case "ServiceQuotaExceededException" -> new SmsRejectedException("an AWS quota is exhausted ("
          + reason(e) + "); raise it in the Service Quotas console or wait for the period to end: " + detail, provider,
          withReason(type, reason(e)), e);
      case "ConflictException" -> conflict(e, type, detail, provider, destination);
      case "ValidationException" -> validation(e, type, detail, provider);
      case "AccessDeniedException" -> new SmsConfigurationException("AWS denied access (" + reason(e)
          + "); check the IAM policy allows sms-voice:SendTextMessage on the origination identity and configuration"
          + " set, and that the account is active: " + detail, provider, withReason(type, reason(e)), e);
      case "ResourceNotFoundException" -> new SmsConfigurationException("an AWS resource does not exist (origination"
          + " identity, configuration set or protect configuration): " + detail, provider, type, e);
      case "InternalServerException" -> new SmsTransportException("AWS failed internally; the message may have been"
          + " sent: " + detail, provider, type, true, e);
      // legacy Pinpoint REST API
      case "TooManyRequestsException" -> new SmsThrottledException("Pinpoint throttled the send (" + detail + ")",
          provider, type, null);
      case "BadRequestException", "PayloadTooLargeException" -> new SmsRejectedException("Pinpoint refused the send: "
          + detail, provider, type, e);
      case "ForbiddenException", "NotFoundException", "MethodNotAllowedException" -> new SmsConfigurationException(
          "Pinpoint refused the request (check the application id, region and IAM policy for mobiletargeting:"
              + "SendMessages): " + detail, provider, type, e);
      case "InternalServerErrorException" -> new SmsTransportException("Pinpoint failed internally; the message may"
          + " have been sent: " + detail, provider, type, true, e);
      // signing and credentials, from either API
      case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature",
          "InvalidClientTokenId", "ExpiredTokenException", "MissingAuthenticationToken" -> new SmsConfigurationException(
          "AWS rejected the credentials (" + type + "); check the credential provider and the region", provider, type,
          e);
      default -> byStatus(e.statusCode(), type, detail, provider, e);
    };
  }

  private static SmsException conflict(AwsServiceException e, String type, String detail, String provider,
      PhoneNumber destination) {
    String reason = reason(e);
    if ("DESTINATION_PHONE_NUMBER_OPTED_OUT".equals(reason)) {
      return new SmsOptedOutException(destination, provider, withReason(type, reason));
    }
    if (DESTINATION_CONFLICT_REASONS.contains(reason)) {
      return new SmsRejectedException("AWS refused this destination (" + reason + "): " + detail, provider,
          withReason(type, reason), e);
    }
    return new SmsConfigurationException("the AWS set-up does not allow this send (" + reason + "; for example the"
        + " origination identity lacks the capability, keyword or message type): " + detail, provider,
        withReason(type, reason), e);
  }

  private static SmsException validation(AwsServiceException e, String type, String detail, String provider) {
    String reason = reason(e);
    if (reason != null && CONFIGURATION_VALIDATION_REASONS.contains(reason)) {
      return new SmsConfigurationException("AWS says the request is wrongly configured (" + reason + "): " + detail,
          provider, withReason(type, reason), e);
    }
    // Invalid or unsupported destination, blocked country, price over MaxPrice, sender id not registered for that
    // country, body too long: this message cannot go, others may.
    return new SmsRejectedException("AWS refused the message (" + reason + "): " + detail, provider,
        withReason(type, reason), e);
  }

  private static SmsException byStatus(int status, String type, String detail, String provider, Throwable cause) {
    if (status == 429) {
      return new SmsThrottledException("AWS throttled the send (" + detail + ")", provider, type, null);
    }
    if (status >= 500) {
      return new SmsTransportException("AWS answered " + status + "; the message may have been sent: " + detail,
          provider, type, true, cause);
    }
    if (status == 401 || status == 403) {
      return new SmsConfigurationException("AWS refused the request (" + status + "): " + detail, provider, type,
          cause);
    }
    return new SmsRejectedException("AWS refused the message (" + status + "): " + detail, provider, type, cause);
  }

  private static SmsException client(SdkClientException e, String provider) {
    String message = maskNumbers(String.valueOf(e.getMessage()));
    if (message.contains("Unable to load credentials") || message.contains("Unable to load region")) {
      return new SmsConfigurationException("the AWS client has no credentials or region: " + message, provider,
          "SdkClientException", e);
    }
    Throwable io = ioCause(e);
    if (io == null) {
      // Failed while building or marshalling the request: nothing was written.
      return new SmsTransportException("the AWS client failed before sending: " + message, provider,
          "SdkClientException", false, e);
    }
    if (beforeRequestWritten(io)) {
      return new SmsTransportException("could not connect to AWS (" + io.getClass().getSimpleName() + "); the message"
          + " was not sent", provider, "SdkClientException", false, e);
    }
    return new SmsTransportException("the connection to AWS failed after the request was sent ("
        + io.getClass().getSimpleName() + "); the message may have been sent", provider, "SdkClientException", true, e);
  }

  /** Maps a Pinpoint per-address {@code MessageResult} that is not SUCCESSFUL. */
  static SmsException pinpointResult(String deliveryStatus, Integer statusCode, String statusMessage, String provider,
      PhoneNumber destination) {
    String code = "Pinpoint:" + deliveryStatus + (statusCode == null ? "" : ":" + statusCode);
    String detail = deliveryStatus + (statusMessage == null ? "" : ": " + statusMessage);
    return switch (String.valueOf(deliveryStatus)) {
      case "THROTTLED" -> new SmsThrottledException("Pinpoint throttled the send (" + detail + ")", provider, code, null);
      case "OPT_OUT" -> new SmsOptedOutException(destination, provider, code);
      case "TEMPORARY_FAILURE" -> new SmsTransportException("Pinpoint could not send now (" + detail + ")", provider,
          code, false, null);
      case "PERMANENT_FAILURE", "DUPLICATE" -> new SmsRejectedException("Pinpoint refused the message (" + detail + ")",
          provider, code);
      default -> new SmsTransportException("Pinpoint reported an unknown outcome (" + detail + "); the message may have"
          + " been sent", provider, code, true, null);
    };
  }

  static String maskNumbers(String message) {
    if (message == null) {
      return null;
    }
    return NUMBER.matcher(message).replaceAll(m -> Matcher.quoteReplacement(PhoneNumbers.mask(m.group())));
  }

  private static String reason(AwsServiceException e) {
    if (e instanceof ConflictException c) {
      return c.reasonAsString();
    }
    if (e instanceof ValidationException v) {
      return v.reasonAsString();
    }
    if (e instanceof ServiceQuotaExceededException q) {
      return q.reasonAsString();
    }
    if (e instanceof AccessDeniedException a) {
      return a.reasonAsString();
    }
    return null;
  }

  private static String withReason(String type, String reason) {
    return reason == null ? type : type + ":" + reason;
  }

  private static Throwable ioCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException || c instanceof UnresolvedAddressException) {
        return c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  private static boolean beforeRequestWritten(Throwable io) {
    // Netty's AnnotatedConnectException and ConnectTimeoutException extend ConnectException. The CRT client reports
    // any failure to get a connection (refused, DNS, TLS negotiation, connect timeout) as this IOException around
    // CRT's HttpException: no request was written on a connection that never came.
    return io instanceof ConnectException || io instanceof UnknownHostException
        || io instanceof NoRouteToHostException || io instanceof SSLHandshakeException
        || io instanceof UnresolvedAddressException
        || String.valueOf(io.getMessage()).startsWith("An exception occurred when acquiring a connection");
  }

  static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
