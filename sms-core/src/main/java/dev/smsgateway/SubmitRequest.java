package dev.smsgateway;

import dev.smsgateway.text.SegmentPlan;
import dev.smsgateway.text.SmsEncoding;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One message as a provider receives it: our message id, a normalized recipient, the sender, the final text and its
 * {@link SegmentPlan}. The {@link SmsGateway} builds these from {@link OutboundSms}; tests and applications that
 * use a provider directly can build them with {@link #builder()}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows neither the body nor whole numbers.
 */
public final class SubmitRequest {

  private final String messageId;
  private final PhoneNumber to;
  private final Originator from;
  private final String body;
  private final SegmentPlan plan;
  private final boolean deliveryReport;
  private final Duration validity;
  private final List<URI> mediaUrls;
  private final Map<String, String> attributes;
  private final int attempt;

  private SubmitRequest(Builder b) {
    this.messageId = b.messageId;
    this.to = b.to;
    this.from = b.from;
    this.body = b.body;
    this.plan = b.plan != null ? b.plan : SmsEncoding.plan(b.body);
    this.deliveryReport = b.deliveryReport;
    this.validity = b.validity;
    this.mediaUrls = List.copyOf(b.mediaUrls);
    this.attributes = Map.copyOf(b.attributes);
    this.attempt = b.attempt;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.messageId = messageId;
    b.to = to;
    b.from = from;
    b.body = body;
    b.plan = plan;
    b.deliveryReport = deliveryReport;
    b.validity = validity;
    b.mediaUrls = mediaUrls;
    b.attributes = attributes;
    b.attempt = attempt;
    return b;
  }

  /** Our id for this message; carry it to the provider where it allows (SMPP reference, AWS Context). */
  public String messageId() {
    return messageId;
  }

  /** The recipient. */
  public PhoneNumber to() {
    return to;
  }

  /** The sender; empty means the provider's configured default. */
  public Optional<Originator> from() {
    return Optional.ofNullable(from);
  }

  /** The final text (after any transliteration). */
  public String body() {
    return body;
  }

  /** The encoding and parts of {@link #body()}. */
  public SegmentPlan plan() {
    return plan;
  }

  /** Whether a delivery report is requested. */
  public boolean deliveryReport() {
    return deliveryReport;
  }

  /** How long the carrier may keep trying; empty means the provider's default. */
  public Optional<Duration> validity() {
    return Optional.ofNullable(validity);
  }

  /** MMS media URLs. */
  public List<URI> mediaUrls() {
    return mediaUrls;
  }

  /** Application tags. */
  public Map<String, String> attributes() {
    return attributes;
  }

  /** 1 for the first try, 2 for the first retry, and so on. */
  public int attempt() {
    return attempt;
  }

  @Override
  public String toString() {
    return "SubmitRequest{messageId=" + messageId + ", to=" + to + ", from=" + from + ", parts=" + plan.partCount()
        + ", encoding=" + plan.encoding() + ", attempt=" + attempt + "}";
  }

  /** Builds {@link SubmitRequest}. Not thread-safe. */
  public static final class Builder {
    private String messageId;
    private PhoneNumber to;
    private Originator from;
    private String body;
    private SegmentPlan plan;
    private boolean deliveryReport = true;
    private Duration validity;
    private List<URI> mediaUrls = List.of();
    private Map<String, String> attributes = Map.of();
    private int attempt = 1;

    private Builder() {}

    /** Our message id. Required. */
    public Builder messageId(String messageId) {
      this.messageId = messageId;
      return this;
    }

    /** The recipient. Required. */
    public Builder to(PhoneNumber to) {
      this.to = to;
      return this;
    }

    /** The sender, or null for the provider's default. */
    public Builder from(Originator from) {
      this.from = from;
      return this;
    }

    /** The text. Required. */
    public Builder body(String body) {
      this.body = body;
      return this;
    }

    /** The plan of {@link #body}; computed from the body when not given. */
    public Builder plan(SegmentPlan plan) {
      this.plan = plan;
      return this;
    }

    /** Whether to request a delivery report. Default true. */
    public Builder deliveryReport(boolean deliveryReport) {
      this.deliveryReport = deliveryReport;
      return this;
    }

    /** The validity period, or null. */
    public Builder validity(Duration validity) {
      this.validity = validity;
      return this;
    }

    /** MMS media URLs. */
    public Builder mediaUrls(List<URI> mediaUrls) {
      this.mediaUrls = Objects.requireNonNull(mediaUrls, "mediaUrls == null");
      return this;
    }

    /** Application tags. */
    public Builder attributes(Map<String, String> attributes) {
      this.attributes = Objects.requireNonNull(attributes, "attributes == null");
      return this;
    }

    /** The attempt number, from 1. */
    public Builder attempt(int attempt) {
      if (attempt < 1) {
        throw new SmsValidationException("attempt", "must be >= 1: " + attempt);
      }
      this.attempt = attempt;
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws SmsValidationException if a required field is missing
     */
    public SubmitRequest build() {
      if (messageId == null || messageId.isBlank()) {
        throw new SmsValidationException("messageId", "is required");
      }
      if (to == null) {
        throw new SmsValidationException("to", "is required");
      }
      if (body == null) {
        throw new SmsValidationException("body", "is required");
      }
      if (plan != null && !plan.text().equals(body)) {
        throw new SmsValidationException("plan", "was made for a different text than body");
      }
      return new SubmitRequest(this);
    }
  }
}
