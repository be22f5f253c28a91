package dev.smsgateway.eum;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds SNS envelopes signed the way SNS signs them, with a test signing key. */
final class SnsTestMessages {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String REGION = "us-east-1";
  static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:sms-inbound";
  static final String OTHER_TOPIC = "arn:aws:sns:us-east-1:123456789012:not-ours";
  static final String CERT_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem";
  // SNS writes milliseconds, including ".000Z" (aws-sdk-java-v2 #7010 tripped on those).
  static final DateTimeFormatter SNS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private final TestCa.Signer signer;

  SnsTestMessages(TestCa.Signer signer) {
    this.signer = signer;
  }

  /** An unsigned envelope's fields, in SNS's order. */
  static Map<String, String> notification(String topic, String message, Instant at) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Type", "Notification");
    m.put("MessageId", UUID.randomUUID().toString());
    m.put("TopicArn", topic);
    m.put("Message", message);
    m.put("Timestamp", SNS_TIME.format(at));
    m.put("SignatureVersion", "2");
    m.put("SigningCertURL", CERT_URL);
    m.put("UnsubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + topic + ":x");
    return m;
  }

  static Map<String, String> subscriptionConfirmation(String topic, Instant at) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Type", "SubscriptionConfirmation");
    m.put("MessageId", UUID.randomUUID().toString());
    m.put("Token", "2336412f37fb687f5d51e6e2425dacbbtoken" + UUID.randomUUID());
    m.put("TopicArn", topic);
    m.put("Message", "You have chosen to subscribe to the topic " + topic + ".\nTo confirm the subscription, visit the"
        + " SubscribeURL included in this message.");
    m.put("SubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + topic
        + "&Token=abc");
    m.put("Timestamp", SNS_TIME.format(at));
    m.put("SignatureVersion", "2");
    m.put("SigningCertURL", CERT_URL);
    return m;
  }

  /** Signs {@code fields} (by their SignatureVersion) and returns the JSON body SNS would post. */
  String sign(Map<String, String> fields) {
    Map<String, String> m = new LinkedHashMap<>(fields);
    m.put("Signature", signature(m));
    return json(m);
  }

  String signature(Map<String, String> m) {
    try {
      Signature s = Signature.getInstance("1".equals(m.get("SignatureVersion")) ? "SHA1withRSA" : "SHA256withRSA");
      s.initSign(signer.keys().getPrivate());
      s.update(stringToSign(m).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String json(Map<String, String> m) {
    ObjectNode node = JSON.createObjectNode();
    m.forEach(node::put);
    return node.toString();
  }

  /** Written independently of SnsEnvelope from the SNS documentation's field lists. */
  static String stringToSign(Map<String, String> m) {
    String[] keys = "Notification".equals(m.get("Type"))
        ? new String[] {"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}
        : new String[] {"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"};
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      if (m.containsKey(k)) {
        sb.append(k).append('\n').append(m.get(k)).append('\n');
      }
    }
    return sb.toString();
  }

  static String twoWay(String from, String to, String body, String inboundId) {
    ObjectNode n = JSON.createObjectNode();
    n.put("originationNumber", from);
    n.put("destinationNumber", to);
    n.put("messageKeyword", "KEYWORD_123456789012");
    n.put("messageBody", body);
    n.put("inboundMessageId", inboundId);
    n.put("previousPublishedMessageId", "wJalrXUtnFEMI-prev");
    return n.toString();
  }

  static String textEvent(String eventType, String awsMessageId, String ourMessageId, boolean isFinal, long at) {
    ObjectNode n = JSON.createObjectNode();
    n.put("eventType", eventType);
    n.put("eventVersion", "1.0");
    n.put("eventTimestamp", at);
    n.put("isFinal", isFinal);
    n.put("originationPhoneNumber", "+12065550152");
    n.put("destinationPhoneNumber", "+14255550156");
    n.put("isoCountryCode", "US");
    n.put("messageId", awsMessageId);
    n.put("messageRequestTimestamp", at - 300);
    n.put("messageEncoding", "GSM");
    n.put("messageType", "TRANSACTIONAL");
    n.put("messageStatus", eventType.substring("TEXT_".length()));
    n.put("messageStatusDescription", "described");
    if (ourMessageId != null) {
      n.putObject("context").put(EumErrors.CONTEXT_MESSAGE_ID, ourMessageId);
    }
    n.put("totalMessageParts", 1);
    n.put("totalMessagePrice", 0.00581);
    n.put("totalCarrierFee", 0.00302);
    return n.toString();
  }
}
