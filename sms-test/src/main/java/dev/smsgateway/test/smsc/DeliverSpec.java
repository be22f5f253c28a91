package dev.smsgateway.test.smsc;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A raw {@code deliver_sm} for {@link SmscSimulator#deliver(DeliverSpec)}: every field the wire carries, so tests can
 * send odd receipts, unusual data codings, hand-made UDHs or broken TLVs.
 *
 * <p>Immutable and thread-safe; built with {@link #builder()}, which is not thread-safe.
 */
public final class DeliverSpec {

  final String sourceAddr;
  final int sourceTon;
  final int sourceNpi;
  final String destAddr;
  final int destTon;
  final int destNpi;
  final int esmClass;
  final int dataCoding;
  final byte[] shortMessage;
  final Map<Integer, byte[]> tlvs;

  private DeliverSpec(Builder b) {
    this.sourceAddr = b.sourceAddr;
    this.sourceTon = b.sourceTon;
    this.sourceNpi = b.sourceNpi;
    this.destAddr = b.destAddr;
    this.destTon = b.destTon;
    this.destNpi = b.destNpi;
    this.esmClass = b.esmClass;
    this.dataCoding = b.dataCoding;
    this.shortMessage = b.shortMessage.clone();
    this.tlvs = Map.copyOf(b.tlvs);
  }

  /** A new builder: international source and destination, esm_class 0, data_coding 0, empty message. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link DeliverSpec}. Not thread-safe. */
  public static final class Builder {
    private String sourceAddr = "";
    private int sourceTon = 1;
    private int sourceNpi = 1;
    private String destAddr = "";
    private int destTon = 1;
    private int destNpi = 1;
    private int esmClass;
    private int dataCoding;
    private byte[] shortMessage = new byte[0];
    private final Map<Integer, byte[]> tlvs = new LinkedHashMap<>();

    private Builder() {}

    /** source_addr with its TON and NPI. */
    public Builder source(String addr, int ton, int npi) {
      this.sourceAddr = Objects.requireNonNull(addr, "addr == null");
      this.sourceTon = ton;
      this.sourceNpi = npi;
      return this;
    }

    /** destination_addr with its TON and NPI. */
    public Builder destination(String addr, int ton, int npi) {
      this.destAddr = Objects.requireNonNull(addr, "addr == null");
      this.destTon = ton;
      this.destNpi = npi;
      return this;
    }

    /** esm_class (0x04 marks an SMSC delivery receipt, 0x40 a UDH). */
    public Builder esmClass(int esmClass) {
      this.esmClass = esmClass;
      return this;
    }

    /** data_coding. */
    public Builder dataCoding(int dataCoding) {
      this.dataCoding = dataCoding;
      return this;
    }

    /** short_message bytes, UDH included when esm_class says so. */
    public Builder shortMessage(byte[] shortMessage) {
      this.shortMessage = Objects.requireNonNull(shortMessage, "shortMessage == null").clone();
      return this;
    }

    /** short_message as ASCII text (receipt texts). */
    public Builder text(String ascii) {
      this.shortMessage = Objects.requireNonNull(ascii, "ascii == null").getBytes(StandardCharsets.ISO_8859_1);
      return this;
    }

    /** Adds a TLV. */
    public Builder tlv(int tag, byte[] value) {
      this.tlvs.put(tag, Objects.requireNonNull(value, "value == null").clone());
      return this;
    }

    /** Builds the spec. */
    public DeliverSpec build() {
      return new DeliverSpec(this);
    }
  }
}
