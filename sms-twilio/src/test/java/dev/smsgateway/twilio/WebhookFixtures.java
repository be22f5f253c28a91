package dev.smsgateway.twilio;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds correctly signed Twilio webhook requests for tests. */
final class WebhookFixtures {

  static final String TOKEN = "webhook-token-9f2c";
  static final String BASE = "https://sms.example.com/hooks";
  static final String INBOUND_URL = BASE + "/twilio/inbound/sales";
  static final String STATUS_URL = BASE + "/twilio/status?messageId=m-42";

  private WebhookFixtures() {}

  static String sid(String prefix, int n) {
    return prefix + String.format("%032x", n);
  }

  static List<Map.Entry<String, String>> inbound(String messageSid, String body) {
    List<Map.Entry<String, String>> p = new ArrayList<>();
    p.add(Map.entry("ToCountry", "US"));
    p.add(Map.entry("SmsMessageSid", messageSid));
    p.add(Map.entry("NumMedia", "0"));
    p.add(Map.entry("SmsSid", messageSid));
    p.add(Map.entry("SmsStatus", "received"));
    p.add(Map.entry("Body", body));
    p.add(Map.entry("FromCountry", "US"));
    p.add(Map.entry("To", "+14155550100"));
    p.add(Map.entry("NumSegments", "1"));
    p.add(Map.entry("MessageSid", messageSid));
    p.add(Map.entry("AccountSid", FakeTwilioApi.ACCOUNT));
    p.add(Map.entry("From", "+14155550123"));
    p.add(Map.entry("ApiVersion", "2010-04-01"));
    return p;
  }

  static List<Map.Entry<String, String>> status(String messageSid, String status, String errorCode) {
    List<Map.Entry<String, String>> p = new ArrayList<>();
    p.add(Map.entry("SmsSid", messageSid));
    p.add(Map.entry("SmsStatus", status));
    p.add(Map.entry("MessageStatus", status));
    p.add(Map.entry("To", "+14155550123"));
    p.add(Map.entry("MessageSid", messageSid));
    p.add(Map.entry("AccountSid", FakeTwilioApi.ACCOUNT));
    p.add(Map.entry("From", "+14155550100"));
    p.add(Map.entry("ApiVersion", "2010-04-01"));
    if (errorCode != null) {
      p.add(Map.entry("ErrorCode", errorCode));
    }
    return p;
  }

  static String encode(List<Map.Entry<String, String>> params) {
    return params.stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  static String sign(String token, String url, List<Map.Entry<String, String>> params) {
    return new TwilioSignature(List.of(token)).sign(url, params);
  }

  static Map<String, List<String>> headers(String signature) {
    return Map.of("Content-Type", List.of("application/x-www-form-urlencoded; charset=UTF-8"),
        "X-Twilio-Signature", List.of(signature));
  }
}
