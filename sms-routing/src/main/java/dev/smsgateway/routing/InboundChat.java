package dev.smsgateway.routing;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A customer's message handed to a contact flow ({@link ContactFlowDelivery#startChat}; Amazon Connect
 * StartChatContact). The text goes into the chat's initial message (cut to {@value ContactLimits#MAX_INITIAL_MESSAGE}
 * characters, Amazon Connect's limit) and, whole, into the {@code customerMessage} attribute.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows neither the text nor whole numbers.
 */
public final class InboundChat {

  /** The attribute holding the whole customer message. */
  public static final String ATTR_CUSTOMER_MESSAGE = "customerMessage";

  private final String contactFlowId;
  private final PhoneNumber customer;
  private final Originator business;
  private final String text;
  private final String displayName;
  private final Map<String, String> attributes;
  private final String clientToken;
  private final String relatedContactId;
  private final Duration chatDuration;

  private InboundChat(Builder b) {
    this.contactFlowId = b.contactFlowId;
    this.customer = b.customer;
    this.business = b.business;
    this.text = b.text;
    this.displayName = b.displayName != null ? b.displayName : dev.smsgateway.PhoneNumbers.mask(b.customer.e164());
    Map<String, String> attrs = new LinkedHashMap<>(b.attributes);
    attrs.put(ATTR_CUSTOMER_MESSAGE, b.text);
    this.attributes = java.util.Collections.unmodifiableMap(attrs);
    this.clientToken = b.clientToken;
    this.relatedContactId = b.relatedContactId;
    this.chatDuration = b.chatDuration;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The flow. */
  public String contactFlowId() {
    return contactFlowId;
  }

  /** The customer. */
  public PhoneNumber customer() {
    return customer;
  }

  /** The business number the customer wrote to. */
  public Originator business() {
    return business;
  }

  /** The customer's whole message. */
  public String text() {
    return text;
  }

  /** The message as the chat's initial message: at most {@value ContactLimits#MAX_INITIAL_MESSAGE} characters. */
  public String initialMessage() {
    return ContactLimits.truncate(text, ContactLimits.MAX_INITIAL_MESSAGE);
  }

  /**
   * The customer participant's display name (what the agent sees); default the customer's number, masked (a chat's
   * participants and transcripts are kept and shown more widely than the conversation itself).
   */
  public String displayName() {
    return displayName;
  }

  /** Contact attributes, including {@value #ATTR_CUSTOMER_MESSAGE}. */
  public Map<String, String> attributes() {
    return attributes;
  }

  /** The idempotency token; empty lets the SDK choose one. */
  public Optional<String> clientToken() {
    return Optional.ofNullable(clientToken);
  }

  /** A contact this chat continues (an earlier message of the same conversation). */
  public Optional<String> relatedContactId() {
    return Optional.ofNullable(relatedContactId);
  }

  /** How long the chat may last; empty for Amazon Connect's default (25 hours). */
  public Optional<Duration> chatDuration() {
    return Optional.ofNullable(chatDuration);
  }

  @Override
  public String toString() {
    return "InboundChat{contactFlowId=" + contactFlowId + ", customer=" + customer + ", business=" + business
        + ", textLength=" + text.length() + ", attributes=" + attributes.keySet() + "}";
  }

  /** Builds {@link InboundChat}. Not thread-safe. */
  public static final class Builder {
    private String contactFlowId;
    private PhoneNumber customer;
    private Originator business;
    private String text;
    private String displayName;
    private Map<String, String> attributes = Map.of();
    private String clientToken;
    private String relatedContactId;
    private Duration chatDuration;

    private Builder() {}

    /** Required. */
    public Builder contactFlowId(String contactFlowId) {
      this.contactFlowId = contactFlowId;
      return this;
    }

    /** Required. */
    public Builder customer(PhoneNumber customer) {
      this.customer = customer;
      return this;
    }

    /** Required. */
    public Builder business(Originator business) {
      this.business = business;
      return this;
    }

    /** Required; may be empty for media-only messages (then the chat starts without an initial message). */
    public Builder text(String text) {
      this.text = text;
      return this;
    }

    /** The customer's display name; default their number, masked. */
    public Builder displayName(String displayName) {
      this.displayName = displayName;
      return this;
    }

    /** Contact attributes for the flow. */
    public Builder attributes(Map<String, String> attributes) {
      this.attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes == null"));
      return this;
    }

    /** The idempotency token (at most 500 characters). */
    public Builder clientToken(String clientToken) {
      this.clientToken = clientToken;
      return this;
    }

    /** An earlier contact of the same conversation. */
    public Builder relatedContactId(String relatedContactId) {
      this.relatedContactId = relatedContactId;
      return this;
    }

    /** 60 minutes to 7 days, whole minutes. */
    public Builder chatDuration(Duration chatDuration) {
      this.chatDuration = chatDuration;
      return this;
    }

    /**
     * @throws dev.smsgateway.SmsValidationException naming the field and the value
     */
    public InboundChat build() {
      ContactLimits.id("contactFlowId", contactFlowId);
      if (customer == null) {
        throw new dev.smsgateway.SmsValidationException("customer", "is required");
      }
      if (business == null) {
        throw new dev.smsgateway.SmsValidationException("business", "is required");
      }
      if (text == null) {
        throw new dev.smsgateway.SmsValidationException("text", "is required");
      }
      if (displayName != null) {
        Checks.text("displayName", displayName, ContactLimits.MAX_DISPLAY_NAME);
      }
      ContactLimits.clientToken("clientToken", clientToken);
      if (relatedContactId != null) {
        ContactLimits.id("relatedContactId", relatedContactId);
      }
      ContactLimits.chatDuration("chatDuration", chatDuration);
      InboundChat chat = new InboundChat(this);
      ContactLimits.attributes("attributes", chat.attributes);
      return chat;
    }
  }
}
