package dev.smsgateway.routing;

import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsValidationException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An agent-originated SMS sent by the contact center itself ({@link ContactFlowDelivery#startOutboundChat}; Amazon
 * Connect StartOutboundChatContact from a number linked to Amazon Connect through AWS End User Messaging).
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows neither the text nor whole numbers.
 */
public final class OutboundChat {

  private final String contactFlowId;
  private final String sourcePhoneNumberArn;
  private final PhoneNumber customer;
  private final String initialSystemMessage;
  private final Map<String, String> attributes;
  private final Duration chatDuration;
  private final String relatedContactId;
  private final String clientToken;
  private final String displayName;

  private OutboundChat(Builder b) {
    this.contactFlowId = b.contactFlowId;
    this.sourcePhoneNumberArn = b.sourcePhoneNumberArn;
    this.customer = b.customer;
    this.initialSystemMessage = b.initialSystemMessage;
    this.attributes = b.attributes;
    this.chatDuration = b.chatDuration;
    this.relatedContactId = b.relatedContactId;
    this.clientToken = b.clientToken;
    this.displayName = b.displayName;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The flow that manages the new contact. */
  public String contactFlowId() {
    return contactFlowId;
  }

  /** The Amazon Connect phone number ARN it is sent from (SourceEndpoint CONNECT_PHONENUMBER_ARN). */
  public String sourcePhoneNumberArn() {
    return sourcePhoneNumberArn;
  }

  /** The customer (DestinationEndpoint TELEPHONE_NUMBER). */
  public PhoneNumber customer() {
    return customer;
  }

  /** The text sent to the customer (InitialSystemMessage), at most 1,024 characters. */
  public Optional<String> initialSystemMessage() {
    return Optional.ofNullable(initialSystemMessage);
  }

  /** Contact attributes. */
  public Map<String, String> attributes() {
    return attributes;
  }

  /** ChatDurationInMinutes, 60 to 10,080; empty for Amazon Connect's default. */
  public Optional<Duration> chatDuration() {
    return Optional.ofNullable(chatDuration);
  }

  /** A contact this one relates to. */
  public Optional<String> relatedContactId() {
    return Optional.ofNullable(relatedContactId);
  }

  /** The idempotency token (from the caller's idempotency key). */
  public Optional<String> clientToken() {
    return Optional.ofNullable(clientToken);
  }

  /** The display name of the system participant. */
  public Optional<String> displayName() {
    return Optional.ofNullable(displayName);
  }

  @Override
  public String toString() {
    return "OutboundChat{contactFlowId=" + contactFlowId + ", customer=" + customer + ", textLength="
        + (initialSystemMessage == null ? 0 : initialSystemMessage.length()) + ", attributes=" + attributes.keySet()
        + "}";
  }

  /** Builds {@link OutboundChat}. Not thread-safe. */
  public static final class Builder {
    private String contactFlowId;
    private String sourcePhoneNumberArn;
    private PhoneNumber customer;
    private String initialSystemMessage;
    private Map<String, String> attributes = Map.of();
    private Duration chatDuration;
    private String relatedContactId;
    private String clientToken;
    private String displayName;

    private Builder() {}

    /** Required. */
    public Builder contactFlowId(String contactFlowId) {
      this.contactFlowId = contactFlowId;
      return this;
    }

    /** Required: {@code arn:aws:connect:<region>:<account>:phone-number/<id>}. */
    public Builder sourcePhoneNumberArn(String sourcePhoneNumberArn) {
      this.sourcePhoneNumberArn = sourcePhoneNumberArn;
      return this;
    }

    /** Required. */
    public Builder customer(PhoneNumber customer) {
      this.customer = customer;
      return this;
    }

    /** The text sent to the customer; at most 1,024 characters. */
    public Builder initialSystemMessage(String initialSystemMessage) {
      this.initialSystemMessage = initialSystemMessage;
      return this;
    }

    /** Contact attributes. */
    public Builder attributes(Map<String, String> attributes) {
      this.attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes == null"));
      return this;
    }

    /** 60 minutes to 7 days, whole minutes. */
    public Builder chatDuration(Duration chatDuration) {
      this.chatDuration = chatDuration;
      return this;
    }

    /** A related contact. */
    public Builder relatedContactId(String relatedContactId) {
      this.relatedContactId = relatedContactId;
      return this;
    }

    /** The idempotency token, at most 500 characters. */
    public Builder clientToken(String clientToken) {
      this.clientToken = clientToken;
      return this;
    }

    /** The system participant's display name, at most 256 characters. */
    public Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    /**
     * @throws SmsValidationException naming the field and the value
     */
    public OutboundChat build() {
      ContactLimits.id("contactFlowId", contactFlowId);
      String arn = Checks.required("sourcePhoneNumberArn", sourcePhoneNumberArn);
      if (!arn.startsWith("arn:") || !arn.contains(":phone-number/")) {
        throw new SmsValidationException("sourcePhoneNumberArn",
            "is not an Amazon Connect phone number ARN: '" + Checks.abbreviate(arn) + "'");
      }
      if (customer == null) {
        throw new SmsValidationException("customer", "is required");
      }
      if (initialSystemMessage != null) {
        if (initialSystemMessage.isEmpty()) {
          throw new SmsValidationException("initialSystemMessage", "is empty");
        }
        if (initialSystemMessage.length() > ContactLimits.MAX_INITIAL_MESSAGE) {
          throw new SmsValidationException("initialSystemMessage", "is too long: " + initialSystemMessage.length()
              + " > " + ContactLimits.MAX_INITIAL_MESSAGE + " characters (Amazon Connect's limit)");
        }
      }
      ContactLimits.chatDuration("chatDurationInMinutes", chatDuration);
      if (relatedContactId != null) {
        ContactLimits.id("relatedContactId", relatedContactId);
      }
      ContactLimits.clientToken("clientToken", clientToken);
      if (displayName != null) {
        Checks.text("displayName", displayName, ContactLimits.MAX_DISPLAY_NAME);
      }
      ContactLimits.attributes("attributes", attributes);
      return new OutboundChat(this);
    }
  }
}
