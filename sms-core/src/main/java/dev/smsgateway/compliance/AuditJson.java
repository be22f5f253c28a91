package dev.smsgateway.compliance;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;

/** One audit event as a JSON object on one line; numbers masked unless asked in clear. */
final class AuditJson {

  private AuditJson() {}

  static String line(AuditEvent e, boolean inClear) {
    StringBuilder b = new StringBuilder(256).append('{');
    field(b, "sequence", Long.toString(e.sequence()), false);
    field(b, "at", e.at().toString(), true);
    field(b, "type", e.type().name(), true);
    field(b, "customer", e.customer() == null ? null : inClear ? e.customer().e164() : e.customer().masked(), true);
    field(b, "business", e.business() == null ? null : inClear ? e.business() : maskBusiness(e.business()), true);
    field(b, "conversationId", e.conversationId(), true);
    field(b, "messageId", e.messageId(), true);
    field(b, "outcome", e.outcome(), true);
    field(b, "reason", e.reason() == null ? null : inClear ? e.reason() : maskNumbers(e.reason()), true);
    return b.append('}').toString();
  }

  private static String maskBusiness(String key) {
    Originator o = Originator.fromKey(key);
    return o.phoneNumber().map(PhoneNumber::masked).orElse(key);
  }

  /** Reasons quote numbers only through masked toStrings; an E.164 run left in one is masked here as well. */
  private static String maskNumbers(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\+[1-9][0-9]{6,14}").matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(PhoneNumber.of(m.group()).masked()));
    }
    return m.appendTail(out).toString();
  }

  private static void field(StringBuilder b, String name, String value, boolean quoted) {
    if (value == null) {
      return;
    }
    if (b.length() > 1) {
      b.append(',');
    }
    b.append('"').append(name).append("\":");
    if (!quoted) {
      b.append(value);
      return;
    }
    b.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
