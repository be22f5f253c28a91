package dev.smsgateway.eum;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsValidationException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the {@code Message} of an SNS notification: a two-way SMS
 * (https://docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms.html) or an SMS event from a configuration-set
 * event destination (https://docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-format.html,
 * event types: https://docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-types.html).
 *
 * <p>Thread-safe (stateless).
 */
final class SnsEvents {

  private SnsEvents() {}

  /** True for a two-way SMS message. */
  static boolean isInbound(JsonNode message) {
    return message.hasNonNull("inboundMessageId") && message.hasNonNull("originationNumber");
  }

  /** True for an SMS delivery event (voice, MMS and registration events are not ours). */
  static boolean isTextEvent(JsonNode message) {
    JsonNode type = message.get("eventType");
    return type != null && type.isTextual() && type.textValue().startsWith("TEXT_");
  }

  /**
   * Reads a two-way SMS.
   *
   * @param shortCodeCountry the country to read a short-code destination in, or null
   * @throws SnsRejection 400 when a field is missing or malformed
   */
  static InboundSms inbound(JsonNode m, String provider, Instant receivedAt, String snsMessageId,
      String shortCodeCountry) throws SnsRejection {
    try {
      Map<String, String> attributes = new LinkedHashMap<>();
      putIfText(attributes, "keyword", m.get("messageKeyword"));
      putIfText(attributes, "previousPublishedMessageId", m.get("previousPublishedMessageId"));
      attributes.put("snsMessageId", snsMessageId);
      return InboundSms.builder()
          .provider(provider)
          .providerMessageId(text(m, "inboundMessageId"))
          .from(PhoneNumber.of(text(m, "originationNumber")))
          .to(Originator.parse(text(m, "destinationNumber"), shortCodeCountry))
          .body(m.hasNonNull("messageBody") ? text(m, "messageBody") : "")
          .receivedAt(receivedAt)
          .attributes(attributes)
          .build();
    } catch (SmsValidationException e) {
      throw new SnsRejection(400, "two-way SMS message is malformed: " + e.getMessage());
    }
  }

  /**
   * Reads an SMS event into a report correlated through {@code context.smsGatewayMessageId} and the AWS message id.
   *
   * @throws SnsRejection 400 when a field is missing or malformed
   */
  static DeliveryReport report(JsonNode m, String provider, Instant fallbackTime) throws SnsRejection {
    String eventType = text(m, "eventType");
    String providerMessageId = m.hasNonNull("messageId") ? text(m, "messageId") : null;
    String messageId = null;
    JsonNode context = m.get("context");
    if (context != null && context.isObject() && context.get(EumErrors.CONTEXT_MESSAGE_ID) != null
        && context.get(EumErrors.CONTEXT_MESSAGE_ID).isTextual()) {
      messageId = context.get(EumErrors.CONTEXT_MESSAGE_ID).textValue();
    }
    boolean isFinal = !m.has("isFinal") || m.get("isFinal").asBoolean(true);
    DeliveryStatus status = status(eventType, isFinal);
    String messageStatus = m.hasNonNull("messageStatus") ? m.get("messageStatus").asText() : null;
    Instant at = fallbackTime;
    JsonNode ts = m.get("eventTimestamp");
    if (ts != null && ts.canConvertToLong() && ts.asLong() > 0) {
      at = Instant.ofEpochMilli(ts.asLong());
    }
    try {
      return DeliveryReport.builder()
          .provider(provider)
          .providerMessageId(providerMessageId)
          .messageId(messageId)
          .status(status)
          .rawStatus(eventType)
          .errorCode(status == DeliveryStatus.DELIVERED || status == DeliveryStatus.SENT
              || status == DeliveryStatus.ACCEPTED ? null : messageStatus)
          .occurredAt(at)
          .build();
    } catch (SmsValidationException e) {
      throw new SnsRejection(400, "SMS event is malformed: " + e.getMessage());
    }
  }

  /** Maps an SMS {@code eventType}; unknown types keep their raw text as {@link DeliveryStatus#UNKNOWN}. */
  static DeliveryStatus status(String eventType, boolean isFinal) {
    return switch (eventType.toUpperCase(Locale.ROOT)) {
      case "TEXT_DELIVERED" -> DeliveryStatus.DELIVERED;
      // Accepted by the carrier; in countries without handset receipts this is the last word.
      case "TEXT_SUCCESSFUL" -> DeliveryStatus.SENT;
      case "TEXT_QUEUED", "TEXT_PENDING" -> DeliveryStatus.ACCEPTED;
      case "TEXT_BLOCKED", "TEXT_CARRIER_BLOCKED", "TEXT_SPAM", "TEXT_PROTECT_BLOCKED", "TEXT_INVALID",
          "TEXT_INVALID_MESSAGE", "TEXT_OPTED_OUT" -> DeliveryStatus.REJECTED;
      case "TEXT_TTL_EXPIRED" -> DeliveryStatus.EXPIRED;
      // Temporary carrier or handset trouble: final only when AWS says it gave up.
      case "TEXT_UNREACHABLE", "TEXT_CARRIER_UNREACHABLE" -> isFinal ? DeliveryStatus.FAILED : DeliveryStatus.UNKNOWN;
      default -> DeliveryStatus.UNKNOWN; // TEXT_UNKNOWN and types added after this was written
    };
  }

  private static String text(JsonNode m, String field) throws SnsRejection {
    JsonNode node = m.get(field);
    if (node == null || !node.isTextual()) {
      throw new SnsRejection(400, field + " is missing or not a string");
    }
    return node.textValue();
  }

  private static void putIfText(Map<String, String> out, String key, JsonNode node) {
    if (node != null && node.isTextual() && !node.textValue().isEmpty()) {
      out.put(key, node.textValue());
    }
  }
}
