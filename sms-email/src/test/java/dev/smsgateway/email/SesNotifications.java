package dev.smsgateway.email;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * SES receipt notifications in the documented format ("Notification contents for Amazon SES email receiving": the
 * {@code notificationType}, {@code mail} with {@code commonHeaders}, {@code receipt} with the verdicts and the SNS
 * action, and {@code content}), for a raw message.
 */
final class SesNotifications {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-inbound";
  static final String SUBJECT = "Amazon SES Email Receipt Notification";

  private SesNotifications() {}

  static String received(byte[] raw, String recipient, Map<String, String> verdicts, boolean base64, Instant at) {
    ObjectNode root = JSON.createObjectNode();
    root.put("notificationType", "Received");
    ObjectNode mail = root.putObject("mail");
    mail.put("timestamp", at.toString());
    mail.put("source", "0100019abc@bounces.agents.example.com");
    mail.put("messageId", "o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1");
    mail.putArray("destination").add(recipient);
    mail.put("headersTruncated", false);
    ArrayNode headers = mail.putArray("headers");
    headers.addObject().put("name", "Return-Path").put("value", "<0100019abc@bounces.agents.example.com>");
    ObjectNode common = mail.putObject("commonHeaders");
    common.put("returnPath", "0100019abc@bounces.agents.example.com");
    ObjectNode receipt = root.putObject("receipt");
    receipt.put("timestamp", at.toString());
    receipt.put("processingTimeMillis", 574);
    receipt.putArray("recipients").add(recipient);
    verdicts.forEach((k, v) -> receipt.putObject(k).put("status", v));
    receipt.put("dmarcPolicy", "reject");
    ObjectNode action = receipt.putObject("action");
    action.put("type", "SNS");
    action.put("topicArn", TOPIC);
    action.put("encoding", base64 ? "BASE64" : "UTF8");
    root.put("content", base64 ? Base64.getEncoder().encodeToString(raw) : new String(raw, StandardCharsets.UTF_8));
    return root.toString();
  }

  static Map<String, String> passing() {
    return Map.of("spamVerdict", "PASS", "virusVerdict", "PASS", "spfVerdict", "PASS", "dkimVerdict", "PASS",
        "dmarcVerdict", "PASS");
  }
}
