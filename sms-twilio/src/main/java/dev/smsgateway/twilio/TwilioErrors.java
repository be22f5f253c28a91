package dev.smsgateway.twilio;

import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

/**
 * Maps what Twilio answers (an error code from its error dictionary, an HTTP status, or an I/O failure) to our
 * {@link SmsException} categories, and the asynchronous error codes of status callbacks to a {@link DeliveryStatus}.
 *
 * <p>twilio-java's {@code ApiException} may carry a null message, a null code or a null status (a 5xx with an HTML
 * body, for example), so everything here is keyed by code first and HTTP status second, never by message text.
 *
 * <p>Codes: https://www.twilio.com/docs/api/errors. Thread-safe (stateless).
 */
final class TwilioErrors {

  /** The category a synchronous error code belongs to. */
  enum Kind {
    CONFIGURATION, REJECTED, OPTED_OUT, THROTTLED, TRANSPORT
  }

  /** One row of the table: category and the operator's hint. */
  record Entry(Kind kind, String hint) {}

  // Errors the Messages create call returns synchronously (HTTP 4xx with a Twilio code).
  private static final Map<Integer, Entry> SYNC = Map.ofEntries(
      row(20003, Kind.CONFIGURATION, "authentication failed: check twilio.accountSid and twilio.authToken (or the API key and secret)"),
      row(20005, Kind.CONFIGURATION, "the Twilio account is not active"),
      row(20404, Kind.CONFIGURATION, "resource not found: check twilio.accountSid and the Messaging Service SID"),
      row(20429, Kind.THROTTLED, "too many requests: slow down and retry"),
      row(14107, Kind.THROTTLED, "reply rate limit exceeded for this conversation"),
      row(21211, Kind.REJECTED, "the 'To' number is not a valid phone number"),
      row(21212, Kind.CONFIGURATION, "the 'From' number is not valid: configure a number of the account (twilio.from)"),
      row(21408, Kind.CONFIGURATION, "sending to this region is not enabled: enable it in the Console's Messaging Geo Permissions"),
      row(21602, Kind.REJECTED, "a message body or media URL is required"),
      row(21606, Kind.CONFIGURATION, "the 'From' number cannot send SMS: use an SMS-capable number of this account"),
      row(21608, Kind.CONFIGURATION, "a trial account can only send to verified numbers"),
      row(21610, Kind.OPTED_OUT, "the recipient replied STOP to this sender"),
      row(21612, Kind.REJECTED, "the 'To' number cannot be reached from this 'From' number"),
      row(21614, Kind.REJECTED, "the 'To' number is not a mobile number"),
      row(21617, Kind.REJECTED, "the body exceeds 1,600 characters"),
      row(21620, Kind.REJECTED, "a media URL is invalid"),
      row(21623, Kind.REJECTED, "more than 10 media URLs"),
      row(21635, Kind.REJECTED, "the 'To' number is a landline and cannot receive SMS"),
      row(21659, Kind.CONFIGURATION, "the 'From' number is not a Twilio number of this account"),
      row(21660, Kind.CONFIGURATION, "the 'From' number belongs to another account"),
      row(21701, Kind.CONFIGURATION, "the Messaging Service does not exist: check twilio.messagingServiceSid"),
      row(21703, Kind.CONFIGURATION, "the Messaging Service has no sender that can reach this number"),
      row(21704, Kind.CONFIGURATION, "the Messaging Service has no phone numbers"),
      row(30007, Kind.REJECTED, "the message was filtered as spam by the carrier or Twilio"),
      row(30034, Kind.CONFIGURATION, "US A2P 10DLC: the sending number is not registered to an approved campaign"));

  // Error codes of status callbacks (ErrorCode with MessageStatus undelivered or failed).
  private static final Map<Integer, DeliveryStatus> ASYNC = Map.ofEntries(
      Map.entry(30001, DeliveryStatus.FAILED),    // queue overflow
      Map.entry(30002, DeliveryStatus.FAILED),    // account suspended
      Map.entry(30003, DeliveryStatus.FAILED),    // unreachable destination handset
      Map.entry(30004, DeliveryStatus.REJECTED),  // message blocked (by the recipient or carrier)
      Map.entry(30005, DeliveryStatus.REJECTED),  // unknown destination handset
      Map.entry(30006, DeliveryStatus.REJECTED),  // landline or unreachable carrier
      Map.entry(30007, DeliveryStatus.REJECTED),  // carrier violation / filtered
      Map.entry(30008, DeliveryStatus.FAILED),    // unknown error
      Map.entry(30034, DeliveryStatus.REJECTED),  // unregistered 10DLC number
      Map.entry(21610, DeliveryStatus.REJECTED)); // recipient unsubscribed

  private TwilioErrors() {}

  private static Map.Entry<Integer, Entry> row(int code, Kind kind, String hint) {
    return Map.entry(code, new Entry(kind, hint));
  }

  /** The table row for a synchronous Twilio code, or null. Package-private for the table-driven test. */
  static Entry entry(Integer code) {
    return code == null ? null : SYNC.get(code);
  }

  /**
   * Maps a failed create.
   *
   * @param provider our provider name
   * @param code Twilio's error code, may be null
   * @param httpStatus the HTTP status, or null when no response arrived
   * @param retryAfter the Retry-After the response asked for, or null
   * @param to the recipient (for opt-out errors)
   * @param cause the SDK exception
   * @param requestSent whether the request may have reached Twilio (false when the connection was never made)
   */
  static SmsException toException(String provider, Integer code, Integer httpStatus, Duration retryAfter,
      PhoneNumber to, Throwable cause, boolean requestSent) {
    String raw = code != null ? String.valueOf(code) : httpStatus != null ? "HTTP " + httpStatus : null;
    Entry entry = entry(code);
    if (entry != null) {
      String message = "Twilio " + code + (httpStatus == null ? "" : " (HTTP " + httpStatus + ")") + ": " + entry.hint();
      return switch (entry.kind()) {
        case CONFIGURATION -> new SmsConfigurationException(message, provider, raw, cause);
        case REJECTED -> new SmsRejectedException(message, provider, raw, cause);
        case OPTED_OUT -> new SmsOptedOutException(to, provider, raw);
        case THROTTLED -> new SmsThrottledException(message, provider, raw, retryAfter);
        case TRANSPORT -> new SmsTransportException(message, provider, raw, requestSent, cause);
      };
    }
    if (httpStatus != null) {
      int s = httpStatus;
      String prefix = "Twilio " + (code == null ? "" : code + " ") + "(HTTP " + s + ")";
      if (s == 429) {
        // Twilio documents 429 as "not processed": safe to send again after a wait.
        return new SmsThrottledException(prefix + ": too many requests; retry after a wait", provider, raw, retryAfter);
      }
      if (s == 401 || s == 403) {
        return new SmsConfigurationException(prefix + ": not authorized; check the account SID and the auth token or API key",
            provider, raw, cause);
      }
      if (s == 404) {
        return new SmsConfigurationException(prefix + ": not found; check twilio.accountSid", provider, raw, cause);
      }
      if (s >= 500) {
        // The request arrived: Twilio may have created the message before failing. Never retry blindly.
        return new SmsTransportException(prefix + ": server error after the request was sent; the outcome is unknown",
            provider, raw, true, cause);
      }
      if (s >= 400) {
        return new SmsRejectedException(prefix + ": the request was refused" + (code == null ? "" : " (see https://www.twilio.com/docs/api/errors/" + code + ")"),
            provider, raw, cause);
      }
    }
    // No HTTP status: an I/O failure. Connection set-up failures happen before any byte of the request is sent.
    Throwable io = rootIo(cause);
    boolean sent = requestSent && !(io instanceof ConnectException || io instanceof UnknownHostException
        || io instanceof NoRouteToHostException || isConnectTimeout(io));
    String what = io == null ? "no response" : io.getClass().getSimpleName();
    return new SmsTransportException("Twilio request failed (" + what + ")"
        + (sent ? "; the request may have reached Twilio, outcome unknown" : "; the request was not sent"),
        provider, raw, sent, cause);
  }

  /** The delivery status a status-callback error code implies for an undelivered or failed message. */
  static DeliveryStatus asyncStatus(String errorCode, DeliveryStatus fallback) {
    if (errorCode == null) {
      return fallback;
    }
    try {
      DeliveryStatus mapped = ASYNC.get(Integer.valueOf(errorCode.strip()));
      return mapped == null ? fallback : mapped;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static Throwable rootIo(Throwable t) {
    for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return t;
      }
    }
    return null;
  }

  private static boolean isConnectTimeout(Throwable io) {
    // Apache httpclient 4's ConnectTimeoutException extends InterruptedIOException; a read timeout is a
    // SocketTimeoutException (also an InterruptedIOException) and means the request was sent.
    return io instanceof InterruptedIOException && io.getClass().getSimpleName().equals("ConnectTimeoutException");
  }
}
