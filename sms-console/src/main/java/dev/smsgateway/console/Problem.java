package dev.smsgateway.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smsgateway.SmsBudgetExceededException;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SmsValidationException;

/**
 * An error answer in RFC 9457 problem+json form, with the library's error category and, for bad input, the field.
 * Never a stack trace: the detail is the exception's message, which the library keeps free of secrets and whole
 * phone numbers.
 */
final class Problem extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final int status;
  final String category;
  final String field;
  final long retryAfterSeconds;

  Problem(int status, String category, String detail) {
    this(status, category, null, detail, 0);
  }

  Problem(int status, String category, String field, String detail, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.category = category;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static Problem badRequest(String field, String detail) {
    return new Problem(400, "validation", field, field + ": " + detail, 0);
  }

  static Problem notYours() {
    return new Problem(404, "not_found", "conversationId",
        "conversationId: no conversation of yours has this id", 0);
  }

  /** The problem for an error of the library, by category. */
  static Problem of(SmsException e) {
    if (e instanceof SmsValidationException v) {
      return new Problem(400, "validation", v.field(), e.getMessage(), 0);
    }
    if (e instanceof SmsOptedOutException) {
      return new Problem(409, "opted_out", "customerNumber", e.getMessage(), 0);
    }
    if (e instanceof SmsRejectedException) {
      return new Problem(422, "rejected", null, e.getMessage(), 0);
    }
    if (e instanceof SmsThrottledException t) {
      return new Problem(429, "throttled", null, e.getMessage(),
          t.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(1L));
    }
    if (e instanceof SmsBudgetExceededException) {
      return new Problem(429, "budget_exceeded", null, e.getMessage(), 0);
    }
    if (e instanceof SmsTransportException) {
      return new Problem(502, "transport", null, e.getMessage(), 0);
    }
    if (e instanceof SmsConfigurationException) {
      return new Problem(500, "configuration", null, e.getMessage(), 0);
    }
    return new Problem(500, "internal", null, "internal error", 0);
  }

  ObjectNode json() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("type", "urn:sms-gateway:problem:" + category); // a name, not a page to fetch
    o.put("title", title(status));
    o.put("status", status);
    o.put("detail", getMessage());
    o.put("category", category);
    if (field != null) {
      o.put("field", field);
    }
    return o;
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Internal Server Error";
    };
  }
}
