package dev.smsgateway.connect;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Amazon Connect errors to {@link SmsException}s. Codes from the Amazon Connect API Reference (StartChatContact,
 * StartOutboundChatContact "Errors"): ThrottlingException and LimitExceededException (429: API rate, or the quota of
 * concurrent active chats) are retryable after a wait; AccessDeniedException and ResourceNotFoundException (a wrong
 * instance or flow id, missing permission) are configuration; InvalidRequestException, InvalidParameterException,
 * ConflictException and ServiceQuotaExceededException refuse this contact; InternalServiceException (500) may have
 * started the contact: retry only with the same ClientToken.
 */
final class ConnectErrors {

  static final String PROVIDER = "amazon-connect";
  private static final Pattern NUMBERS = Pattern.compile("\\+?[0-9]{7,15}");

  private ConnectErrors() {}

  static SmsException map(Throwable error, String operation) {
    Throwable e = error;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof SmsException se) {
      return se;
    }
    if (e instanceof AwsServiceException ase) {
      String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
      int status = ase.statusCode();
      String detail = operation + " failed: " + (code == null ? "HTTP " + status : code + " (HTTP " + status + ")")
          + ": " + clean(ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorMessage())
          + (ase.requestId() == null ? "" : " [request id " + ase.requestId() + "]");
      String c = code == null ? "" : code;
      switch (c) {
        case "ThrottlingException", "TooManyRequestsException", "LimitExceededException" -> {
          return new SmsThrottledException(detail, PROVIDER, code, null);
        }
        case "AccessDeniedException", "ResourceNotFoundException", "UnrecognizedClientException",
            "InvalidSignatureException", "ExpiredTokenException", "MissingAuthenticationTokenException" -> {
          return new SmsConfigurationException(detail + "; check the instance id, the contact flow id and the "
              + "credentials' permissions", PROVIDER, code, ase);
        }
        case "InvalidRequestException", "InvalidParameterException", "ConflictException", "ResourceConflictException",
            "ServiceQuotaExceededException" -> {
          return new SmsRejectedException(detail, PROVIDER, code, ase);
        }
        case "InternalServiceException" -> {
          return new SmsTransportException(detail + "; the contact may have started: retry only with the same "
              + "client token", PROVIDER, code, true, ase);
        }
        default -> {
          if (status == 429) {
            return new SmsThrottledException(detail, PROVIDER, code, null);
          }
          if (status == 401 || status == 403) {
            return new SmsConfigurationException(detail, PROVIDER, code, ase);
          }
          if (status >= 500) {
            return new SmsTransportException(detail, PROVIDER, code, true, ase);
          }
          return new SmsRejectedException(detail, PROVIDER, code, ase);
        }
      }
    }
    if (e instanceof SdkClientException) {
      // Connection refused or unknown host: nothing left this process. Anything else (a timeout, a reset) may
      // have reached Amazon Connect.
      boolean notSent = hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class);
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why = clean(e.getMessage()) + (root == e ? "" : " (" + root.getClass().getSimpleName() + ": "
          + clean(root.getMessage()) + ")");
      return new SmsTransportException(operation + " failed: " + why, PROVIDER, null, !notSent, e);
    }
    return new SmsTransportException(operation + " failed: " + e, PROVIDER, null, true, e);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Service messages may quote request values: mask anything that looks like a phone number. */
  static String clean(String message) {
    if (message == null) {
      return "no message";
    }
    return NUMBERS.matcher(message).replaceAll(m -> dev.smsgateway.PhoneNumbers.mask(m.group()).replace("$", "\\$"));
  }
}
