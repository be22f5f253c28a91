package dev.smsgateway.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.smsgateway.DeliveryStatus;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsmpp.InvalidCommandLengthException;
import org.jsmpp.bean.Command;

/**
 * Jazzer fuzz targets (X3) for the SMPP delivery-receipt parser and the capped PDU reader. A normal build replays the
 * committed inputs under {@code src/test/resources/dev/smsgateway/smpp/SmppFuzzTestInputs/<method>/}; fuzz one for
 * longer with {@code JAZZER_FUZZ=1 mvn -pl sms-smpp test -Dtest=SmppFuzzTest#receipt} (see docs/fuzzing.md).
 */
class SmppFuzzTest {

  private static final String[] STATS = {"DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "REJECTD", "ENROUTE",
      "UNKNOWN"};
  private static final DeliveryStatus[] STATUSES = {DeliveryStatus.DELIVERED, DeliveryStatus.EXPIRED,
      DeliveryStatus.FAILED, DeliveryStatus.FAILED, DeliveryStatus.SENT, DeliveryStatus.REJECTED,
      DeliveryStatus.ACCEPTED, DeliveryStatus.UNKNOWN};

  /** Any text and TLVs: never throws, and what it returns is bounded and consistent with the TLVs. */
  @FuzzTest(maxDuration = "30s")
  void receipt(FuzzedDataProvider data) {
    int tlvState = data.consumeInt(-1, 10);
    boolean withTlvId = data.consumeBoolean();
    String tlvId = withTlvId ? data.consumeString(80) : null;
    String text = data.consumeRemainingAsString();

    DeliveryReceipts.Parsed parsed = DeliveryReceipts.parse(text, tlvId, tlvState);

    assertThat(parsed.status()).isNotNull();
    assertThat(parsed.rawStatus()).isNotNull();
    if (parsed.id() != null) {
      assertThat(parsed.id()).isNotEmpty().hasSizeLessThanOrEqualTo(64).doesNotContain("\0")
          .isEqualTo(parsed.id().strip());
    }
    if (tlvState >= 1 && tlvState <= 9) {
      assertThat(parsed.status()).isEqualTo(DeliveryReceipts.fromState(tlvState));
    }
    String cleanTlv = tlvId == null ? null : tlvId.replace("\0", "").strip();
    if (cleanTlv != null && !cleanTlv.isEmpty() && cleanTlv.length() <= 64) {
      assertThat(parsed.id()).isEqualTo(cleanTlv);
    }
    if (parsed.text() != null) {
      assertThat(parsed.text().length()).isLessThanOrEqualTo(1_000);
    }
  }

  /** A well-formed SMPP 3.4 Appendix B receipt built from fuzzed fields always parses to exactly those fields. */
  @FuzzTest(maxDuration = "30s")
  void wellFormedReceipt(FuzzedDataProvider data) {
    long rawId = data.consumeLong(0, 0xFFFF_FFFF_FFL);
    boolean hex = data.consumeBoolean();
    int stat = data.consumeInt(0, STATS.length - 1);
    boolean lowerCase = data.consumeBoolean();
    boolean equalsSign = data.consumeBoolean();
    int err = data.consumeInt(0, 999);
    int yy = data.consumeInt(0, 99);
    int month = data.consumeInt(1, 12);
    int day = data.consumeInt(1, 28);
    int hour = data.consumeInt(0, 23);
    int minute = data.consumeInt(0, 59);
    String trailing = data.consumeRemainingAsString();

    String id = hex ? Long.toHexString(rawId).toUpperCase(Locale.ROOT) : Long.toString(rawId);
    String date = String.format(Locale.ROOT, "%02d%02d%02d%02d%02d", yy, month, day, hour, minute);
    String sep = equalsSign ? "=" : ":";
    String statText = lowerCase ? STATS[stat].toLowerCase(Locale.ROOT) : STATS[stat];
    String text = "id" + sep + id + " sub" + sep + "001 dlvrd" + sep + "001 submit date" + sep + date + " done date"
        + sep + date + " stat" + sep + statText + " err" + sep + String.format(Locale.ROOT, "%03d", err) + " text"
        + sep + trailing;

    DeliveryReceipts.Parsed parsed = DeliveryReceipts.parse(text, null, -1);

    assertThat(parsed.id()).isEqualTo(id);
    assertThat(parsed.status()).isEqualTo(STATUSES[stat]);
    assertThat(parsed.rawStatus()).isEqualTo(STATS[stat]);
    assertThat(parsed.error()).isEqualTo(String.format(Locale.ROOT, "%03d", err));
    Instant expected = Instant.parse(String.format(Locale.ROOT, "20%02d-%02d-%02dT%02d:%02d:00Z", yy, month, day, hour,
        minute));
    assertThat(parsed.submitDate()).isEqualTo(expected);
    assertThat(parsed.doneDate()).isEqualTo(expected);
  }

  /**
   * Random bytes as a PDU stream: the reader only ever returns a PDU whose length is its command_length within
   * 16..cap, allocates nothing larger than the cap, and fails only with the reader's declared exceptions (also on a
   * malformed deliver_sm, which it checks field by field), counting every refusal.
   */
  @FuzzTest(maxDuration = "30s")
  void pduReader(FuzzedDataProvider data) throws IOException {
    int cap = data.consumeInt(16, CappedPduReader.DEFAULT_MAX);
    byte[] stream = data.consumeRemainingAsBytes();
    AtomicInteger malformed = new AtomicInteger();
    CappedPduReader reader = new CappedPduReader(cap, malformed::incrementAndGet);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(stream));
    int consumed = 0;
    while (true) {
      Command header;
      try {
        header = reader.readPDUHeader(in);
      } catch (EOFException end) {
        break;
      } catch (InvalidCommandLengthException refused) {
        int declared = ByteBuffer.wrap(stream, consumed, 4).getInt();
        assertThat(declared < 16 || declared > cap).as("refused length %d with cap %d", declared, cap).isTrue();
        assertThat(malformed).hasValue(1);
        break;
      }
      assertThat(header.getCommandLength()).isBetween(16, cap);
      byte[] pdu;
      try {
        pdu = reader.readPDU(in, header);
      } catch (EOFException truncated) {
        assertThat(stream.length - consumed).isLessThan(header.getCommandLength());
        break;
      } catch (IOException refused) {
        // only a deliver_sm whose fields and TLVs do not add up is refused after reading, and it is counted
        assertThat(header.getCommandId()).isEqualTo(0x00000005);
        assertThat(malformed).hasValue(1);
        break;
      }
      assertThat(pdu).hasSize(header.getCommandLength());
      assertThat(ByteBuffer.wrap(pdu).getInt()).isEqualTo(header.getCommandLength());
      assertThat(ByteBuffer.wrap(pdu, 4, 4).getInt()).isEqualTo(header.getCommandId());
      consumed += pdu.length;
      assertThat(consumed).isLessThanOrEqualTo(stream.length);
    }
  }
}
