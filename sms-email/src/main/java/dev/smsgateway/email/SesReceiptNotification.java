package dev.smsgateway.email;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the notification an Amazon SES receipt rule's SNS action publishes: {@code notificationType} "Received", the
 * {@code receipt} (envelope recipients and the spam, virus, SPF, DKIM and DMARC verdicts), the {@code mail} metadata,
 * and the whole message in {@code content}, UTF-8 or base64 as the action's {@code encoding} says.
 * https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html
 *
 * <p>Thread-safe (stateless).
 */
final class SesReceiptNotification {

  /** The largest notification read; SES bounces mail over 150 KB for the SNS action, and base64 adds a third. */
  static final int MAX_CHARS = 512 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(MAX_CHARS)
          .maxNumberLength(32).build())
      .build());
  private static final Session SESSION = Session.getInstance(new Properties());

  /** A received email: its content and what SES knew about it. */
  record Received(MimeMessage message, EmailReceipt receipt, String sesMessageId) {}

  /** Why a notification was not read; {@link #ignorable} for notifications that are not received mail. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean ignorable;

    Invalid(String message, boolean ignorable) {
      super(message, null, false, false);
      this.ignorable = ignorable;
    }
  }

  private SesReceiptNotification() {}

  static Received parse(String notification) throws Invalid {
    if (notification.length() > MAX_CHARS) {
      throw new Invalid("notification larger than " + MAX_CHARS + " characters", false);
    }
    JsonNode root;
    try {
      root = JSON.readTree(notification);
    } catch (JsonProcessingException e) {
      throw new Invalid("notification is not JSON", false);
    }
    if (root == null || !root.isObject()) {
      throw new Invalid("notification is not a JSON object", false);
    }
    String type = text(root, "notificationType");
    if (!"Received".equals(type)) {
      throw new Invalid("notificationType is " + (type == null ? "missing" : "'" + abbreviate(type) + "'")
          + ", not Received", true);
    }
    JsonNode receipt = root.path("receipt");
    JsonNode mail = root.path("mail");
    String content = text(root, "content");
    if (content == null) {
      throw new Invalid("notification has no content: use a receipt rule SNS action (the Lambda and S3 actions do"
          + " not carry the message)", false);
    }
    String encoding = text(receipt.path("action"), "encoding");
    byte[] raw;
    if ("BASE64".equalsIgnoreCase(encoding)) {
      try {
        raw = Base64.getMimeDecoder().decode(content);
      } catch (IllegalArgumentException e) {
        throw new Invalid("content is not base64 although the action's encoding is BASE64", false);
      }
    } else {
      raw = content.getBytes(StandardCharsets.UTF_8);
    }
    MimeMessage message;
    try {
      message = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
    } catch (MessagingException e) {
      throw new Invalid("content is not a MIME message", false);
    }
    List<String> recipients = new ArrayList<>();
    JsonNode list = receipt.path("recipients").isArray() ? receipt.path("recipients") : mail.path("destination");
    for (JsonNode r : list) {
      if (r.isTextual()) {
        recipients.add(r.textValue());
      }
    }
    Map<AuthCheck, AuthVerdict> verdicts = new EnumMap<>(AuthCheck.class);
    verdict(receipt, "spfVerdict", AuthCheck.SPF, verdicts);
    verdict(receipt, "dkimVerdict", AuthCheck.DKIM, verdicts);
    verdict(receipt, "dmarcVerdict", AuthCheck.DMARC, verdicts);
    verdict(receipt, "spamVerdict", AuthCheck.SPAM, verdicts);
    verdict(receipt, "virusVerdict", AuthCheck.VIRUS, verdicts);
    return new Received(message, new EmailReceipt("ses", recipients, verdicts), text(mail, "messageId"));
  }

  private static void verdict(JsonNode receipt, String field, AuthCheck check, Map<AuthCheck, AuthVerdict> out) {
    String status = text(receipt.path(field), "status");
    if (status != null) {
      out.put(check, AuthVerdict.parse(status));
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
