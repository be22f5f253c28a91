package dev.smsgateway.routing;

import dev.smsgateway.Originator;
import dev.smsgateway.route.RouteTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One business number of a {@link Mapping}: the number, the name customers know it by, and its target (a skill
 * queue or an Amazon Connect contact flow), plus keywords that apply to this number only.
 *
 * <p>Created through {@link Mapping.Builder#addNumber}, which reads the number in the mapping's default country and
 * validates it. Immutable and thread-safe.
 */
public final class BusinessNumber {

  private final Originator number;
  private final String displayName;
  private final String queue;
  private final String contactFlowId;
  private final String connectPhoneNumberArn;
  private final List<KeywordRule> keywords;
  private final Double partsPerSecond;

  BusinessNumber(Originator number, String displayName, String queue, String contactFlowId,
      String connectPhoneNumberArn, List<KeywordRule> keywords, Double partsPerSecond) {
    this.number = number;
    this.displayName = displayName;
    this.queue = queue;
    this.contactFlowId = contactFlowId;
    this.connectPhoneNumberArn = connectPhoneNumberArn;
    this.keywords = List.copyOf(keywords);
    this.partsPerSecond = partsPerSecond;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The number (or short code, or sender id). */
  public Originator number() {
    return number;
  }

  /** The name customers know this number by. */
  public String displayName() {
    return displayName;
  }

  /** The skill queue code, for {@link Delivery#QUEUE} mappings. */
  public Optional<String> queue() {
    return Optional.ofNullable(queue);
  }

  /** The Amazon Connect contact flow id, for {@link Delivery#CONTACT_FLOW} mappings. */
  public Optional<String> contactFlowId() {
    return Optional.ofNullable(contactFlowId);
  }

  /**
   * The Amazon Connect phone number ARN of this number, when it is an AWS End User Messaging number linked to Amazon
   * Connect: agent-originated messages then go out through StartOutboundChatContact rather than the SMS gateway.
   */
  public Optional<String> connectPhoneNumberArn() {
    return Optional.ofNullable(connectPhoneNumberArn);
  }

  /** Keywords with canned replies for this number; they take precedence over the mapping's. */
  public List<KeywordRule> keywords() {
    return keywords;
  }

  /**
   * How many SMS parts a second this number may send, overriding the gateway's default for its kind (see
   * {@code OriginatorThrottles}); empty when the number uses that default.
   */
  public OptionalDouble partsPerSecond() {
    return partsPerSecond == null ? OptionalDouble.empty() : OptionalDouble.of(partsPerSecond);
  }

  /** The route target: the queue or the contact flow. */
  public RouteTarget target() {
    return queue != null ? new RouteTarget.Queue(queue) : new RouteTarget.ContactFlow(contactFlowId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BusinessNumber n && number.equals(n.number) && displayName.equals(n.displayName)
        && Objects.equals(queue, n.queue) && Objects.equals(contactFlowId, n.contactFlowId)
        && Objects.equals(connectPhoneNumberArn, n.connectPhoneNumberArn) && keywords.equals(n.keywords)
        && Objects.equals(partsPerSecond, n.partsPerSecond);
  }

  @Override
  public int hashCode() {
    return Objects.hash(number, displayName, queue, contactFlowId, connectPhoneNumberArn, keywords);
  }

  @Override
  public String toString() {
    return "BusinessNumber{number=" + number + ", displayName=" + displayName + ", target=" + target().key() + "}";
  }

  /** Builds a {@link BusinessNumber}; validated by {@link Mapping.Builder#build()}. Not thread-safe. */
  public static final class Builder {
    String number;
    String displayName;
    String queue;
    String contactFlowId;
    String connectPhoneNumberArn;
    Double partsPerSecond;
    final List<KeywordRule> keywords = new ArrayList<>();

    private Builder() {}

    /** The number as written ({@code +14155550100}, {@code (415) 555-0100} in the mapping's country, a short code). */
    public Builder number(String number) {
      this.number = number;
      return this;
    }

    /** The name customers know it by. Required. */
    public Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    /** The skill queue code; required for {@link Delivery#QUEUE} mappings. */
    public Builder queue(String queue) {
      this.queue = queue;
      return this;
    }

    /** The Amazon Connect contact flow id; required for {@link Delivery#CONTACT_FLOW} mappings. */
    public Builder contactFlowId(String contactFlowId) {
      this.contactFlowId = contactFlowId;
      return this;
    }

    /** The Amazon Connect phone number ARN, for numbers owned by Amazon Connect. */
    public Builder connectPhoneNumberArn(String connectPhoneNumberArn) {
      this.connectPhoneNumberArn = connectPhoneNumberArn;
      return this;
    }

    /**
     * How many SMS parts a second this number may send, when it differs from the default for its kind (a 10DLC
     * campaign's rate, say). Greater than 0, at most 100,000; null for the default.
     */
    public Builder partsPerSecond(Double partsPerSecond) {
      this.partsPerSecond = partsPerSecond;
      return this;
    }

    /** Adds a keyword with a canned reply for this number only. */
    public Builder keyword(String keyword, String reply) {
      keywords.add(new KeywordRule(Objects.requireNonNull(keyword, "keyword == null"),
          Objects.requireNonNull(reply, "reply == null")));
      return this;
    }
  }
}
