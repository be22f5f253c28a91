package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsTransportException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("TwilioErrors maps Twilio codes and HTTP statuses to SmsException categories")
class TwilioErrorsTest {

  static final PhoneNumber TO = PhoneNumber.of("+14155550123");

  @ParameterizedTest(name = "code {0} / HTTP {1} -> {2} retryable={3} possiblyDelivered={4}")
  @CsvSource(nullValues = "-", value = {
      "21211, 400, Rejected,      false, false",  // invalid To
      "21610, 400, OptedOut,      false, false",  // unsubscribed recipient: recorded as an opt-out by the gateway
      "21614, 400, Rejected,      false, false",  // not a mobile number
      "21408, 400, Configuration, false, false",  // region not enabled (geo permissions)
      "20003, 401, Configuration, false, false",  // authentication
      "30007, 400, Rejected,      false, false",  // filtered
      "20429, 429, Throttled,     true,  false",
      "-,     429, Throttled,     true,  false",  // a 429 without a Twilio body
      "14107, 400, Throttled,     true,  false",
      "21606, 400, Configuration, false, false",  // From cannot send SMS
      "21612, 400, Rejected,      false, false",  // cannot route to To
      "21617, 400, Rejected,      false, false",  // body too long
      "21602, 400, Rejected,      false, false",
      "21608, 400, Configuration, false, false",  // trial account, unverified To
      "21212, 400, Configuration, false, false",
      "21659, 400, Configuration, false, false",
      "21701, 400, Configuration, false, false",
      "21703, 400, Configuration, false, false",
      "30034, 400, Configuration, false, false",
      "20404, 404, Configuration, false, false",
      "-,     404, Configuration, false, false",
      "-,     403, Configuration, false, false",
      "99999, 400, Rejected,      false, false",  // an unknown 4xx code: refused as it is
      "20500, 500, Transport,     true,  true",   // 5xx after the request arrived: outcome unknown
      "-,     502, Transport,     true,  true",
      "-,     503, Transport,     true,  true",
  })
  void table(Integer code, Integer status, String kind, boolean retryable, boolean possiblyDelivered) {
    SmsException e = TwilioErrors.toException("tw", code, status, null, TO, null, true);
    Class<?> expected = switch (kind) {
      case "Rejected" -> SmsRejectedException.class;
      case "OptedOut" -> SmsOptedOutException.class;
      case "Configuration" -> SmsConfigurationException.class;
      case "Throttled" -> SmsThrottledException.class;
      case "Transport" -> SmsTransportException.class;
      default -> throw new IllegalArgumentException(kind);
    };
    assertThat(e).isInstanceOf(expected);
    assertThat(e.retryable()).isEqualTo(retryable);
    assertThat(e.possiblyDelivered()).isEqualTo(possiblyDelivered);
    assertThat(e.provider()).contains("tw");
    assertThat(e.providerCode()).contains(code != null ? String.valueOf(code) : "HTTP " + status);
    assertThat(e.getMessage()).isNotBlank().doesNotContain(TO.e164());
  }

  @ParameterizedTest(name = "{0} -> possiblyDelivered={1}")
  @CsvSource({
      "connect, false",
      "read-timeout, true",
      "reset, true",
  })
  void ioFailures(String what, boolean possiblyDelivered) {
    IOException io = switch (what) {
      case "connect" -> new ConnectException("Connection refused");
      case "read-timeout" -> new SocketTimeoutException("Read timed out");
      default -> new IOException("Connection reset");
    };
    SmsException e = TwilioErrors.toException("tw", null, null, null, TO, new RuntimeException(null, io), true);
    assertThat(e).isInstanceOf(SmsTransportException.class);
    assertThat(e.possiblyDelivered()).isEqualTo(possiblyDelivered);
    assertThat(e.retryable()).isTrue();
  }

  @ParameterizedTest(name = "status callback {0} with ErrorCode {1} -> {2}")
  @CsvSource(nullValues = "-", value = {
      "queued,      -,     ACCEPTED",
      "accepted,    -,     ACCEPTED",
      "scheduled,   -,     ACCEPTED",
      "sending,     -,     ACCEPTED",
      "sent,        -,     SENT",
      "delivered,   -,     DELIVERED",
      "read,        -,     DELIVERED",
      "undelivered, 30003, FAILED",
      "undelivered, 30005, REJECTED",
      "undelivered, 30006, REJECTED",
      "undelivered, 30007, REJECTED",
      "undelivered, 30008, FAILED",
      "failed,      30001, FAILED",
      "failed,      30002, FAILED",
      "failed,      30004, REJECTED",
      "failed,      -,     FAILED",
      "failed,      abc,   FAILED",
      "canceled,    -,     FAILED",
      "partially_delivered, -, UNKNOWN",
  })
  void statusCallbacks(String raw, String errorCode, DeliveryStatus expected) {
    assertThat(TwilioWebhookHandler.statusOf(raw, errorCode)).isEqualTo(expected);
  }
}
