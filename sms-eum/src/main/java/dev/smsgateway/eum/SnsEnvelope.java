package dev.smsgateway.eum;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signed JSON envelope SNS posts to an HTTP(S) subscription (not raw message delivery).
 * https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html
 *
 * <p>Immutable and thread-safe.
 */
record SnsEnvelope(String type, String messageId, String topicArn, String message, String subject, String timestamp,
    String token, String subscribeUrl, String signatureVersion, String signature, String signingCertUrl) {

  static final String NOTIFICATION = "Notification";
  static final String SUBSCRIPTION_CONFIRMATION = "SubscriptionConfirmation";
  static final String UNSUBSCRIBE_CONFIRMATION = "UnsubscribeConfirmation";

  // arn:aws:sns:us-east-1:123456789012:topic-name (also aws-cn, aws-us-gov partitions)
  private static final Pattern TOPIC_ARN =
      Pattern.compile("arn:aws(?:-[a-z]+)*:sns:([a-z]{2}(?:-[a-z]+)+-[0-9]+):[0-9]{12}:[A-Za-z0-9_.-]{1,256}");

  /**
   * Reads the envelope fields.
   *
   * @throws SnsRejection (400) when a field a signed envelope always has is missing or not a string
   */
  static SnsEnvelope of(JsonNode json) throws SnsRejection {
    if (json == null || !json.isObject()) {
      throw new SnsRejection(400, "body is not a JSON object");
    }
    String type = required(json, "Type");
    boolean notification = NOTIFICATION.equals(type);
    if (!notification && !SUBSCRIPTION_CONFIRMATION.equals(type) && !UNSUBSCRIBE_CONFIRMATION.equals(type)) {
      throw new SnsRejection(400, "unknown SNS message Type");
    }
    return new SnsEnvelope(type,
        required(json, "MessageId"),
        required(json, "TopicArn"),
        required(json, "Message"),
        notification ? optional(json, "Subject") : null,
        required(json, "Timestamp"),
        notification ? null : required(json, "Token"),
        notification ? null : required(json, "SubscribeURL"),
        required(json, "SignatureVersion"),
        required(json, "Signature"),
        required(json, "SigningCertURL"));
  }

  /** The region in {@link #topicArn()}. */
  String topicRegion() throws SnsRejection {
    Matcher m = TOPIC_ARN.matcher(topicArn);
    if (!m.matches()) {
      throw new SnsRejection(400, "TopicArn is not an SNS topic ARN");
    }
    return m.group(1);
  }

  /**
   * The text SNS signed: "name\nvalue\n" for each signed field in this order, omitting Subject when absent.
   * https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message-verify-message-signature.html
   */
  String stringToSign() {
    StringBuilder sb = new StringBuilder(message.length() + 512);
    append(sb, "Message", message);
    append(sb, "MessageId", messageId);
    if (NOTIFICATION.equals(type)) {
      if (subject != null) {
        append(sb, "Subject", subject);
      }
      append(sb, "Timestamp", timestamp);
      append(sb, "TopicArn", topicArn);
      append(sb, "Type", type);
    } else {
      append(sb, "SubscribeURL", subscribeUrl);
      append(sb, "Timestamp", timestamp);
      append(sb, "Token", token);
      append(sb, "TopicArn", topicArn);
      append(sb, "Type", type);
    }
    return sb.toString();
  }

  private static void append(StringBuilder sb, String name, String value) {
    sb.append(name).append('\n').append(value).append('\n');
  }

  private static String required(JsonNode json, String field) throws SnsRejection {
    JsonNode node = json.get(field);
    if (node == null || !node.isTextual()) {
      throw new SnsRejection(400, "not a signed SNS envelope: " + field + " is missing (raw message delivery is not"
          + " supported; disable it on the subscription)");
    }
    return node.textValue();
  }

  private static String optional(JsonNode json, String field) throws SnsRejection {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new SnsRejection(400, field + " is not a string");
    }
    return node.textValue();
  }

  @Override
  public String toString() {
    return "SnsEnvelope{type=" + type + ", messageId=" + messageId + ", topicArn=" + topicArn + "}";
  }
}
