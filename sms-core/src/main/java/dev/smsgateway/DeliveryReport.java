package dev.smsgateway;

import java.time.Instant;
import java.util.Optional;

/**
 * A provider's later word on a message it accepted. Providers fill in what they know; the {@link SmsGateway}
 * correlates the report to our message id (through the provider id, or a reference the provider echoed back) and
 * merges per-part reports into one status.
 *
 * <p>Immutable and thread-safe.
 */
public final class DeliveryReport {

  private final String provider;
  private final String providerMessageId;
  private final String messageId;
  private final DeliveryStatus status;
  private final String rawStatus;
  private final String errorCode;
  private final Instant occurredAt;
  private final int part;

  private DeliveryReport(Builder b) {
    this.provider = b.provider;
    this.providerMessageId = b.providerMessageId;
    this.messageId = b.messageId;
    this.status = b.status;
    this.rawStatus = b.rawStatus;
    this.errorCode = b.errorCode;
    this.occurredAt = b.occurredAt;
    this.part = b.part;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this report's values. */
  public Builder toBuilder() {
    return new Builder().provider(provider).providerMessageId(providerMessageId).messageId(messageId).status(status)
        .rawStatus(rawStatus).errorCode(errorCode).occurredAt(occurredAt).part(part);
  }

  /** The name of the provider that sent the report. */
  public String provider() {
    return provider;
  }

  /** The provider's message id the report is about (normalized by the provider to the form its send returned). */
  public String providerMessageId() {
    return providerMessageId;
  }

  /** Our message id, when known (echoed by the provider, or filled in by the gateway's correlation). */
  public Optional<String> messageId() {
    return Optional.ofNullable(messageId);
  }

  /** The status. */
  public DeliveryStatus status() {
    return status;
  }

  /** The provider's own status text ({@code DELIVRD}, {@code undelivered}, {@code TEXT_BLOCKED}). */
  public String rawStatus() {
    return rawStatus;
  }

  /** The provider's error code, when it gave one. */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** When the provider says the status was reached (or when we received the report, if it did not say). */
  public Instant occurredAt() {
    return occurredAt;
  }

  /** The 0-based part this report is about, or -1 when it covers the whole message. */
  public int part() {
    return part;
  }

  @Override
  public String toString() {
    return "DeliveryReport{provider=" + provider + ", providerMessageId=" + providerMessageId + ", messageId="
        + messageId + ", status=" + status + ", raw=" + rawStatus + ", errorCode=" + errorCode + ", part=" + part + "}";
  }

  /** Builds {@link DeliveryReport}. Not thread-safe. */
  public static final class Builder {
    private String provider;
    private String providerMessageId;
    private String messageId;
    private DeliveryStatus status;
    private String rawStatus;
    private String errorCode;
    private Instant occurredAt;
    private int part = -1;

    private Builder() {}

    /** Required. */
    public Builder provider(String provider) {
      this.provider = provider;
      return this;
    }

    /** Required unless {@link #messageId} is given. */
    public Builder providerMessageId(String providerMessageId) {
      this.providerMessageId = providerMessageId;
      return this;
    }

    /** Our message id, if the provider echoed it. */
    public Builder messageId(String messageId) {
      this.messageId = messageId;
      return this;
    }

    /** Required. */
    public Builder status(DeliveryStatus status) {
      this.status = status;
      return this;
    }

    /** The provider's status text. */
    public Builder rawStatus(String rawStatus) {
      this.rawStatus = rawStatus;
      return this;
    }

    /** The provider's error code. */
    public Builder errorCode(String errorCode) {
      this.errorCode = errorCode;
      return this;
    }

    /** Required. */
    public Builder occurredAt(Instant occurredAt) {
      this.occurredAt = occurredAt;
      return this;
    }

    /** The 0-based part, or -1 (default) for the whole message. */
    public Builder part(int part) {
      this.part = part;
      return this;
    }

    /**
     * @throws SmsValidationException naming a missing field
     */
    public DeliveryReport build() {
      InboundSms.require(provider, "provider");
      InboundSms.require(status, "status");
      InboundSms.require(occurredAt, "occurredAt");
      if (providerMessageId == null && messageId == null) {
        throw new SmsValidationException("providerMessageId", "is required when messageId is not given");
      }
      if (part < -1) {
        throw new SmsValidationException("part", "must be -1 or a 0-based index: " + part);
      }
      return new DeliveryReport(this);
    }
  }
}
