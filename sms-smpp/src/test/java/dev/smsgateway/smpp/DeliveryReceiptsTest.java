package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/reliability.md S8: a corpus of receipt formats, then garbage. */
class DeliveryReceiptsTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      id:1a2b3c sub:001 dlvrd:001 submit date:2401021011 done date:2401021012 stat:DELIVRD err:000 text:hello | NULL | -1 | 1a2b3c | DELIVERED | DELIVRD | 2024-01-02T10:12:00Z
      id:0123456789 sub:001 dlvrd:000 submit date:2401021011 done date:2401021012 stat:UNDELIV err:001 text: | NULL | -1 | 0123456789 | FAILED | UNDELIV | 2024-01-02T10:12:00Z
      id:42 sub:001 dlvrd:000 submit date:240102101112 done date:240102101213 stat:EXPIRED err:000 | NULL | -1 | 42 | EXPIRED | EXPIRED | 2024-01-02T10:12:13Z
      id:42 submit date:20240102101112 done date:20240102101213 stat:REJECTD err:000 | NULL | -1 | 42 | REJECTED | REJECTD | 2024-01-02T10:12:13Z
      id:abc stat:DELETED | NULL | -1 | abc | FAILED | DELETED | NULL
      id:abc stat:ACCEPTD | NULL | -1 | abc | SENT | ACCEPTD | NULL
      id:abc stat:ENROUTE | NULL | -1 | abc | ACCEPTED | ENROUTE | NULL
      id:abc stat:UNKNOWN | NULL | -1 | abc | UNKNOWN | UNKNOWN | NULL
      id:abc stat:WEIRDO err:123 | NULL | -1 | abc | UNKNOWN | id:abc stat:WEIRDO err:123 | NULL
      ID:ABC STAT:DELIVRD | NULL | -1 | ABC | DELIVERED | DELIVRD | NULL
      id=abc stat=DELIVRD | NULL | -1 | abc | DELIVERED | DELIVRD | NULL
      id: abc stat: DELIVRD | NULL | -1 | abc | DELIVERED | DELIVRD | NULL
      id:abc,stat:DELIVRD,err:000 | NULL | -1 | abc | DELIVERED | DELIVRD | NULL
      id:abc;stat:DELIVRD;err:000 | NULL | -1 | abc | DELIVERED | DELIVRD | NULL
      id:abc submit_date:2401021011 done_date:2401021012 stat:DELIVRD | NULL | -1 | abc | DELIVERED | DELIVRD | 2024-01-02T10:12:00Z
      id:abc submitdate:2401021011 donedate:2401021012 stat:DELIVRD | NULL | -1 | abc | DELIVERED | DELIVRD | 2024-01-02T10:12:00Z
      id:abc done date:9913311299 stat:DELIVRD | NULL | -1 | abc | DELIVERED | DELIVRD | NULL
      id:abc done date:24010 stat:DELIVRD | NULL | -1 | abc | DELIVERED | DELIVRD | NULL
      id:abc stat:delivrd | NULL | -1 | abc | DELIVERED | DELIVRD | NULL
      id:abc stat:DELIVERED | NULL | -1 | abc | DELIVERED | DELIVERED | NULL
      id:abc stat:UNDELIVERABLE | NULL | -1 | abc | FAILED | UNDELIVERABLE | NULL
      id:abc stat:FAILED | NULL | -1 | abc | FAILED | FAILED | NULL
      id:abc stat:REJECTED | NULL | -1 | abc | REJECTED | REJECTED | NULL
      id:abc stat:EXPIRD | NULL | -1 | abc | EXPIRED | EXPIRD | NULL
      id:abc stat:BUFFRED | NULL | -1 | abc | ACCEPTED | BUFFRED | NULL
      id:abc stat:SKIPPED | NULL | -1 | abc | FAILED | SKIPPED | NULL
      stat:DELIVRD id:abc | NULL | -1 | abc | DELIVERED | DELIVRD | NULL
      message_id:abc status:DELIVRD | NULL | -1 | abc | DELIVERED | DELIVRD | NULL
      id:abc sub:001 dlvrd:001 stat:DELIVRD err:000 text:id:zzz stat:UNDELIV | NULL | -1 | abc | DELIVERED | DELIVRD | NULL
      id:abc stat:DELIVRD | ff00 | -1 | ff00 | DELIVERED | DELIVRD | NULL
      NULL | ff00 | 2 | ff00 | DELIVERED | DELIVRD | NULL
      '' | ff00 | 5 | ff00 | FAILED | UNDELIV | NULL
      '' | ff00 | 3 | ff00 | EXPIRED | EXPIRED | NULL
      '' | ff00 | 8 | ff00 | REJECTED | REJECTD | NULL
      '' | ff00 | 6 | ff00 | SENT | ACCEPTD | NULL
      '' | ff00 | 1 | ff00 | ACCEPTED | ENROUTE | NULL
      '' | ff00 | 7 | ff00 | UNKNOWN | UNKNOWN | NULL
      '' | ff00 | 99 | ff00 | UNKNOWN | '' | NULL
      id:abc stat:UNDELIV | NULL | 2 | abc | DELIVERED | UNDELIV | NULL
      id:abc stat:DELIVRD | ' ff00 ' | -1 | ff00 | DELIVERED | DELIVRD | NULL
      id:abc | NULL | -1 | abc | UNKNOWN | id:abc | NULL
      stat:DELIVRD | NULL | -1 | NULL | DELIVERED | DELIVRD | NULL
      id:12345678901234567890 stat:DELIVRD done date:2402291200 | NULL | -1 | 12345678901234567890 | DELIVERED | DELIVRD | 2024-02-29T12:00:00Z
      id:abc done date:2302291200 stat:DELIVRD | NULL | -1 | abc | DELIVERED | DELIVRD | NULL
      """)
  void parsesReceiptFormats(String text, String tlvId, int tlvState, String id, DeliveryStatus status, String raw,
      String done) {
    DeliveryReceipts.Parsed p = DeliveryReceipts.parse(text, tlvId, tlvState);
    assertThat(p.id()).isEqualTo(id);
    assertThat(p.status()).isEqualTo(status);
    assertThat(p.rawStatus()).isEqualTo(raw);
    assertThat(p.doneDate()).isEqualTo(done == null ? null : Instant.parse(done));
  }

  @Test
  void keepsErrorCodeAndText() {
    DeliveryReceipts.Parsed p = DeliveryReceipts.parse("id:7 stat:UNDELIV err:0x45 text:Hello there", null, -1);
    assertThat(p.error()).isEqualTo("0x45");
    assertThat(p.text()).isEqualTo("Hello there");
  }

  @Test
  void garbageNeverThrows() {
    Random random = new Random(42);
    int parsed = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[random.nextInt(300)];
      random.nextBytes(b);
      String text = new String(b, StandardCharsets.ISO_8859_1);
      if (i % 3 == 0) {
        text = "id:" + text + " stat:" + text + " done date:" + text;
      }
      DeliveryReceipts.Parsed p = DeliveryReceipts.parse(text, i % 5 == 0 ? text : null, random.nextInt(20) - 5);
      assertThat(p.status()).isNotNull();
      assertThat(p.rawStatus()).isNotNull();
      parsed++;
    }
    assertThat(parsed).isEqualTo(20_000);
    assertThat(DeliveryReceipts.parse(null, null, -1).status()).isEqualTo(DeliveryStatus.UNKNOWN);
    assertThat(DeliveryReceipts.parse("x".repeat(1_000_000), null, -1).id()).isNull();
  }
}
