package dev.smsgateway.smpp;

import dev.smsgateway.DeliveryStatus;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our own lenient parser for SMPP delivery receipts. jsmpp's parser throws on unknown states and misreads 14-digit
 * dates, and SMSCs vary (docs/reliability.md): hex or decimal ids, 10/12/14-digit dates, missing fields, {@code =}
 * instead
 * of {@code :}, odd case, unknown {@code stat} values. The receipted_message_id and message_state TLVs win over the
 * text when present (SMPP 3.4 section 5.3.2.12 and 5.3.2.35); the text form is SMPP 3.4 Appendix B.
 *
 * <p>Never throws on any input. Thread-safe (stateless).
 */
final class DeliveryReceipts {

  /** A parsed receipt. {@code id} may be null when neither the TLV nor the text had one. */
  record Parsed(String id, DeliveryStatus status, String rawStatus, String error, Instant submitDate,
      Instant doneDate, String text) {}

  private static final Pattern FIELD = Pattern.compile(
      "(?i)(?:^|[\\s,;])(id|message[ _]?id|sub|dlvrd|submit[ _]?date|done[ _]?date|stat|status|err|error|text)\\s*[:=]\\s*");

  private static final int MAX_TEXT = 1_000;

  private static final Map<String, DeliveryStatus> STATES = Map.ofEntries(
      Map.entry("DELIVRD", DeliveryStatus.DELIVERED), Map.entry("DELIVERED", DeliveryStatus.DELIVERED),
      Map.entry("DELIVR", DeliveryStatus.DELIVERED), Map.entry("DELIVRED", DeliveryStatus.DELIVERED),
      Map.entry("EXPIRED", DeliveryStatus.EXPIRED), Map.entry("EXPIRD", DeliveryStatus.EXPIRED),
      Map.entry("DELETED", DeliveryStatus.FAILED), Map.entry("UNDELIV", DeliveryStatus.FAILED),
      Map.entry("UNDELIVERABLE", DeliveryStatus.FAILED), Map.entry("UNDELIVERED", DeliveryStatus.FAILED),
      Map.entry("FAILED", DeliveryStatus.FAILED), Map.entry("FAILD", DeliveryStatus.FAILED),
      Map.entry("ACCEPTD", DeliveryStatus.SENT), Map.entry("ACCEPTED", DeliveryStatus.SENT),
      Map.entry("ENROUTE", DeliveryStatus.ACCEPTED), Map.entry("BUFFRED", DeliveryStatus.ACCEPTED),
      Map.entry("BUFFERED", DeliveryStatus.ACCEPTED), Map.entry("SENT", DeliveryStatus.SENT),
      Map.entry("UNKNOWN", DeliveryStatus.UNKNOWN), Map.entry("REJECTD", DeliveryStatus.REJECTED),
      Map.entry("REJECTED", DeliveryStatus.REJECTED), Map.entry("SKIPPED", DeliveryStatus.FAILED));

  private DeliveryReceipts() {}

  /**
   * Parses a receipt.
   *
   * @param text the short_message (or message_payload) as ASCII, possibly null
   * @param tlvId the receipted_message_id TLV, or null
   * @param tlvState the message_state TLV (1-8), or -1
   */
  static Parsed parse(String text, String tlvId, int tlvState) {
    String body = text == null ? "" : text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    String id = null;
    String stat = null;
    String err = null;
    String submit = null;
    String done = null;
    Matcher m = FIELD.matcher(body);
    int textStart = -1;
    while (m.find()) {
      String key = m.group(1).toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "");
      if (key.equals("text")) {
        textStart = m.end();
        break;
      }
      String value = valueAt(body, m.end(), key.endsWith("date"));
      switch (key) {
        case "id", "messageid" -> id = id == null ? value : id;
        case "stat", "status" -> stat = stat == null ? value : stat;
        case "err", "error" -> err = err == null ? value : err;
        case "submitdate" -> submit = value;
        case "donedate" -> done = value;
        default -> { }
      }
    }
    String tlv = clean(tlvId);
    if (tlv != null) {
      id = tlv;
    } else {
      id = clean(id);
    }
    DeliveryStatus status = null;
    String raw = stat == null ? null : stat.toUpperCase(Locale.ROOT);
    if (tlvState >= 1 && tlvState <= 9) {
      status = fromState(tlvState);
      if (raw == null) {
        raw = stateName(tlvState);
      }
    }
    if (status == null && raw != null) {
      status = STATES.get(raw);
    }
    if (status == null) {
      status = DeliveryStatus.UNKNOWN;
      // an unknown or missing stat: keep the whole text so operators can see what the SMSC said
      raw = body.isBlank() ? (raw == null ? "" : raw) : body.strip();
    }
    return new Parsed(id, status, raw, clean(err), date(submit), date(done),
        textStart >= 0 ? body.substring(textStart) : null);
  }

  private static String valueAt(String body, int start, boolean date) {
    int i = start;
    int n = body.length();
    StringBuilder sb = new StringBuilder();
    while (i < n && !Character.isWhitespace(body.charAt(i)) && body.charAt(i) != ',' && body.charAt(i) != ';') {
      sb.append(body.charAt(i++));
    }
    if (date && sb.length() > 0 && sb.length() < 10) {
      // "2024-01-02 10:11" style dates are not SMPP; keep what we read, it will simply not parse
      return sb.toString();
    }
    return sb.toString();
  }

  private static String clean(String id) {
    if (id == null) {
      return null;
    }
    String s = id.replace("\0", "").strip();
    return s.isEmpty() || s.length() > 64 ? null : s;
  }

  /** Parses YYMMDDhhmm, YYMMDDhhmmss or YYYYMMDDhhmmss as UTC; anything else gives null. */
  static Instant date(String digits) {
    if (digits == null || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    try {
      return switch (digits.length()) {
        case 10 -> LocalDateTime.of(2000 + num(digits, 0, 2), num(digits, 2, 4), num(digits, 4, 6),
            num(digits, 6, 8), num(digits, 8, 10)).toInstant(ZoneOffset.UTC);
        case 12 -> LocalDateTime.of(2000 + num(digits, 0, 2), num(digits, 2, 4), num(digits, 4, 6),
            num(digits, 6, 8), num(digits, 8, 10), num(digits, 10, 12)).toInstant(ZoneOffset.UTC);
        case 14 -> LocalDateTime.of(num(digits, 0, 4), num(digits, 4, 6), num(digits, 6, 8), num(digits, 8, 10),
            num(digits, 10, 12), num(digits, 12, 14)).toInstant(ZoneOffset.UTC);
        default -> null;
      };
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static int num(String s, int from, int to) {
    return Integer.parseInt(s.substring(from, to));
  }

  /** SMPP 3.4 section 5.2.28 message_state. */
  static DeliveryStatus fromState(int state) {
    return switch (state) {
      case 1 -> DeliveryStatus.ACCEPTED;
      case 2 -> DeliveryStatus.DELIVERED;
      case 3 -> DeliveryStatus.EXPIRED;
      case 4, 5, 9 -> DeliveryStatus.FAILED;
      case 6 -> DeliveryStatus.SENT;
      case 8 -> DeliveryStatus.REJECTED;
      default -> DeliveryStatus.UNKNOWN;
    };
  }

  private static String stateName(int state) {
    return switch (state) {
      case 1 -> "ENROUTE";
      case 2 -> "DELIVRD";
      case 3 -> "EXPIRED";
      case 4 -> "DELETED";
      case 5 -> "UNDELIV";
      case 6 -> "ACCEPTD";
      case 8 -> "REJECTD";
      case 9 -> "SKIPPED";
      default -> "UNKNOWN";
    };
  }
}
