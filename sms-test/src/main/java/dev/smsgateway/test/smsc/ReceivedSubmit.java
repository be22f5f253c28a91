package dev.smsgateway.test.smsc;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One {@code submit_sm} the {@link SmscSimulator} received, decoded: addresses, data coding, the part's text, the
 * concatenation header (UDH or SAR TLVs) and every TLV, plus how the simulator answered it.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows neither the text nor whole numbers.
 */
public final class ReceivedSubmit {

  private final String systemId;
  private final String sourceAddr;
  private final int sourceTon;
  private final int sourceNpi;
  private final String destAddr;
  private final int destTon;
  private final int destNpi;
  private final int esmClass;
  private final int dataCoding;
  private final int registeredDelivery;
  private final String validityPeriod;
  private final byte[] shortMessage;
  private final byte[] udh;
  private final String text;
  private final int concatRef;
  private final int totalParts;
  private final int partNumber;
  private final Map<Integer, byte[]> tlvs;
  private final Instant receivedAt;
  private final String messageId;
  private final int status;

  ReceivedSubmit(String systemId, String sourceAddr, int sourceTon, int sourceNpi, String destAddr, int destTon,
      int destNpi, int esmClass, int dataCoding, int registeredDelivery, String validityPeriod, byte[] shortMessage,
      byte[] udh, String text, int concatRef, int totalParts, int partNumber, Map<Integer, byte[]> tlvs,
      Instant receivedAt, String messageId, int status) {
    this.systemId = systemId;
    this.sourceAddr = sourceAddr;
    this.sourceTon = sourceTon;
    this.sourceNpi = sourceNpi;
    this.destAddr = destAddr;
    this.destTon = destTon;
    this.destNpi = destNpi;
    this.esmClass = esmClass;
    this.dataCoding = dataCoding;
    this.registeredDelivery = registeredDelivery;
    this.validityPeriod = validityPeriod;
    this.shortMessage = shortMessage;
    this.udh = udh;
    this.text = text;
    this.concatRef = concatRef;
    this.totalParts = totalParts;
    this.partNumber = partNumber;
    this.tlvs = Collections.unmodifiableMap(new TreeMap<>(tlvs));
    this.receivedAt = receivedAt;
    this.messageId = messageId;
    this.status = status;
  }

  ReceivedSubmit withOutcome(String messageId, int status) {
    return new ReceivedSubmit(systemId, sourceAddr, sourceTon, sourceNpi, destAddr, destTon, destNpi, esmClass,
        dataCoding, registeredDelivery, validityPeriod, shortMessage, udh, text, concatRef, totalParts, partNumber,
        tlvs, receivedAt, messageId, status);
  }

  /** The system_id of the bind it came on. */
  public String systemId() {
    return systemId;
  }

  /** source_addr as sent. */
  public String sourceAddr() {
    return sourceAddr;
  }

  /** source_addr_ton. */
  public int sourceTon() {
    return sourceTon;
  }

  /** source_addr_npi. */
  public int sourceNpi() {
    return sourceNpi;
  }

  /** destination_addr as sent (digits, without a plus for international numbers). */
  public String destAddr() {
    return destAddr;
  }

  /** dest_addr_ton. */
  public int destTon() {
    return destTon;
  }

  /** dest_addr_npi. */
  public int destNpi() {
    return destNpi;
  }

  /** esm_class. */
  public int esmClass() {
    return esmClass;
  }

  /** data_coding. */
  public int dataCoding() {
    return dataCoding;
  }

  /** registered_delivery. */
  public int registeredDelivery() {
    return registeredDelivery;
  }

  /** validity_period, or empty. */
  public String validityPeriod() {
    return validityPeriod;
  }

  /** short_message as sent, UDH included. */
  public byte[] shortMessage() {
    return shortMessage.clone();
  }

  /** The user data header, or an empty array. */
  public byte[] udh() {
    return udh.clone();
  }

  /** This part's text, decoded by data_coding (from message_payload when short_message was empty). */
  public String text() {
    return text;
  }

  /** The concatenation reference (from the UDH or sar_msg_ref_num), or -1 for a single-part message. */
  public int concatRef() {
    return concatRef;
  }

  /** The number of parts of the whole message (1 when not concatenated). */
  public int totalParts() {
    return totalParts;
  }

  /** This part's 1-based number (1 when not concatenated). */
  public int partNumber() {
    return partNumber;
  }

  /** Every TLV by tag, value bytes only. */
  public Map<Integer, byte[]> tlvs() {
    return tlvs;
  }

  /** One TLV's value. */
  public Optional<byte[]> tlv(int tag) {
    byte[] v = tlvs.get(tag);
    return Optional.ofNullable(v == null ? null : v.clone());
  }

  /** When it arrived. */
  public Instant receivedAt() {
    return receivedAt;
  }

  /** The message id the simulator answered with; null when it rejected or dropped the submit. */
  public String messageId() {
    return messageId;
  }

  /** The command status answered (0 accepted); -1 when the response was dropped. */
  public int status() {
    return status;
  }

  /** Whether the simulator accepted it. */
  public boolean accepted() {
    return messageId != null && status == 0;
  }

  @Override
  public String toString() {
    return "ReceivedSubmit{messageId=" + messageId + ", status=" + status + ", dataCoding=" + dataCoding + ", part="
        + partNumber + "/" + totalParts + ", textLength=" + text.length() + ", tlvs=" + tlvs.keySet() + "}";
  }
}
