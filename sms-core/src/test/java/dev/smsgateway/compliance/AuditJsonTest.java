package dev.smsgateway.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.PhoneNumber;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One audit event per JSON line: escaping, absent fields left out, numbers masked unless asked in clear. */
class AuditJsonTest {

  static final AuditEvent EVENT = new AuditEvent(42, Instant.parse("2026-03-10T13:30:00Z"), AuditEvent.Type.REFUSED,
      PhoneNumber.of("+12125550100"), "+14155550199", null, "m-1", "OPTED_OUT",
      "recipient +12125550100 said \"no\"\n\tthen\\left");

  @Test
  @DisplayName("masked by default: the customer, the business number and any E.164 run in the reason")
  void masked() {
    String line = AuditJson.line(EVENT, false);
    assertThat(line).isEqualTo("{\"sequence\":42,\"at\":\"2026-03-10T13:30:00Z\",\"type\":\"REFUSED\","
        + "\"customer\":\"" + PhoneNumber.of("+12125550100").masked() + "\",\"business\":\""
        + PhoneNumber.of("+14155550199").masked() + "\",\"messageId\":\"m-1\",\"outcome\":\"OPTED_OUT\","
        + "\"reason\":\"recipient " + PhoneNumber.of("+12125550100").masked()
        + " said \\\"no\\\"\\n\\tthen\\\\left\"}");
    assertThat(line).doesNotContain("+12125550100", "+14155550199", "conversationId");
  }

  @Test
  @DisplayName("in clear when asked")
  void clear() {
    assertThat(AuditJson.line(EVENT, true)).contains("\"customer\":\"+12125550100\"",
        "\"business\":\"+14155550199\"", "recipient +12125550100");
  }
}
