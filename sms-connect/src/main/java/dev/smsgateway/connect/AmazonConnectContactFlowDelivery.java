package dev.smsgateway.connect;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.routing.ContactFlowDelivery;
import dev.smsgateway.routing.InboundChat;
import dev.smsgateway.routing.OutboundChat;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.connect.ConnectAsyncClient;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.ChatMessage;
import software.amazon.awssdk.services.connect.model.Endpoint;
import software.amazon.awssdk.services.connect.model.EndpointType;
import software.amazon.awssdk.services.connect.model.ParticipantDetails;
import software.amazon.awssdk.services.connect.model.SegmentAttributeValue;
import software.amazon.awssdk.services.connect.model.StartChatContactRequest;
import software.amazon.awssdk.services.connect.model.StartOutboundChatContactRequest;

/**
 * {@link ContactFlowDelivery} on Amazon Connect, with the application's own aws-sdk-java-v2 client:
 *
 * <ul>
 *   <li>{@link #startChat}: an inbound SMS for a {@code CONTACT_FLOW} mapping becomes a chat contact
 *       (<a href="https://docs.aws.amazon.com/connect/latest/APIReference/API_StartChatContact.html">StartChatContact</a>,
 *       {@code PUT /contact/chat}) in the number's flow, with the attributes the router set (customer number, business
 *       number, original outbound text, originating agent id, so that the flow can set the working queue by agent).
 *   <li>{@link #startOutboundChat}: an agent-originated SMS on a number linked to Amazon Connect through AWS End User
 *       Messaging becomes an outbound SMS contact
 *       (<a href="https://docs.aws.amazon.com/connect/latest/APIReference/API_StartOutboundChatContact.html">StartOutboundChatContact</a>,
 *       {@code PUT /contact/outbound-chat}): SourceEndpoint {@code CONNECT_PHONENUMBER_ARN}, DestinationEndpoint
 *       {@code TELEPHONE_NUMBER}, SegmentAttributes {@code connect:Subtype = connect:SMS}, the agent's text as the
 *       InitialSystemMessage and our idempotency key as the ClientToken.
 * </ul>
 *
 * <pre>{@code
 * ConnectAsyncClient connect = ConnectAsyncClient.builder().region(Region.US_EAST_1).build();
 * ContactFlowDelivery flows = AmazonConnectContactFlowDelivery.builder()
 *     .client(connect)
 *     .instanceId("11111111-2222-3333-4444-555555555555")
 *     .build();
 * ConversationService conversations = ConversationService.builder()...contactFlowDelivery(flows).build();
 * }</pre>
 *
 * <p>The client's retry strategy applies; both calls carry a ClientToken, so the SDK's retries never start a second
 * contact. Errors are mapped to {@link SmsException}s (throttling to {@link dev.smsgateway.SmsThrottledException},
 * a wrong instance or flow to {@link SmsConfigurationException}...). The client is the application's and is not
 * closed here.
 *
 * <p>Thread-safe.
 */
public final class AmazonConnectContactFlowDelivery implements ContactFlowDelivery {

  private static final Logger log = LoggerFactory.getLogger(AmazonConnectContactFlowDelivery.class);
  static final String SUBTYPE_KEY = "connect:Subtype";
  static final String SUBTYPE_SMS = "connect:SMS";
  private static final String TEXT_PLAIN = "text/plain";

  private final Function<StartChatContactRequest, CompletableFuture<String>> startChat;
  private final Function<StartOutboundChatContactRequest, CompletableFuture<String>> startOutbound;
  private final String instanceId;
  private final Duration defaultChatDuration;

  private AmazonConnectContactFlowDelivery(Builder b) {
    this.instanceId = b.instanceId;
    this.defaultChatDuration = b.chatDuration;
    if (b.asyncClient != null) {
      ConnectAsyncClient c = b.asyncClient;
      this.startChat = r -> c.startChatContact(r).thenApply(x -> x.contactId());
      this.startOutbound = r -> c.startOutboundChatContact(r).thenApply(x -> x.contactId());
    } else {
      ConnectClient c = b.syncClient;
      Executor executor = b.executor;
      this.startChat = r -> supply(() -> c.startChatContact(r).contactId(), executor);
      this.startOutbound = r -> supply(() -> c.startOutboundChatContact(r).contactId(), executor);
    }
  }

  private static CompletableFuture<String> supply(Supplier<String> call, Executor executor) {
    try {
      return CompletableFuture.supplyAsync(call, executor);
    } catch (RuntimeException rejected) {
      return CompletableFuture.failedFuture(rejected);
    }
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletableFuture<String> startChat(InboundChat chat) {
    Objects.requireNonNull(chat, "chat == null");
    StartChatContactRequest.Builder r = StartChatContactRequest.builder()
        .instanceId(instanceId)
        .contactFlowId(chat.contactFlowId())
        .attributes(chat.attributes())
        .participantDetails(ParticipantDetails.builder().displayName(chat.displayName()).build());
    if (!chat.text().isEmpty()) {
      r.initialMessage(ChatMessage.builder().contentType(TEXT_PLAIN).content(chat.initialMessage()).build());
    }
    chat.clientToken().ifPresent(r::clientToken);
    chat.relatedContactId().ifPresent(r::relatedContactId);
    chat.chatDuration().or(() -> java.util.Optional.ofNullable(defaultChatDuration))
        .ifPresent(d -> r.chatDurationInMinutes((int) d.toMinutes()));
    return call("StartChatContact", () -> startChat.apply(r.build()), chat.toString());
  }

  @Override
  public CompletableFuture<String> startOutboundChat(OutboundChat chat) {
    Objects.requireNonNull(chat, "chat == null");
    StartOutboundChatContactRequest.Builder r = StartOutboundChatContactRequest.builder()
        .instanceId(instanceId)
        .contactFlowId(chat.contactFlowId())
        .sourceEndpoint(Endpoint.builder().type(EndpointType.CONNECT_PHONENUMBER_ARN)
            .address(chat.sourcePhoneNumberArn()).build())
        .destinationEndpoint(Endpoint.builder().type(EndpointType.TELEPHONE_NUMBER)
            .address(chat.customer().e164()).build())
        .segmentAttributes(Map.of(SUBTYPE_KEY, SegmentAttributeValue.builder().valueString(SUBTYPE_SMS).build()))
        .attributes(chat.attributes());
    chat.initialSystemMessage().ifPresent(text ->
        r.initialSystemMessage(ChatMessage.builder().contentType(TEXT_PLAIN).content(text).build()));
    chat.displayName().ifPresent(name -> r.participantDetails(ParticipantDetails.builder().displayName(name).build()));
    chat.relatedContactId().ifPresent(r::relatedContactId);
    chat.clientToken().ifPresent(r::clientToken);
    chat.chatDuration().or(() -> java.util.Optional.ofNullable(defaultChatDuration))
        .ifPresent(d -> r.chatDurationInMinutes((int) d.toMinutes()));
    return call("StartOutboundChatContact", () -> startOutbound.apply(r.build()), chat.toString());
  }

  private static CompletableFuture<String> call(String operation, Supplier<CompletableFuture<String>> request,
      String what) {
    CompletableFuture<String> sent;
    try {
      sent = request.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(ConnectErrors.map(e, operation));
    }
    return sent.handle((contactId, error) -> {
      if (error != null) {
        SmsException mapped = ConnectErrors.map(error, operation);
        log.warn("{} for {} failed: {}", operation, what, mapped.getMessage());
        throw mapped;
      }
      log.info("{} for {} started contact {}", operation, what, contactId);
      return contactId;
    });
  }

  @Override
  public String toString() {
    return "AmazonConnectContactFlowDelivery{instanceId=" + instanceId + "}";
  }

  /** Builds {@link AmazonConnectContactFlowDelivery}. Not thread-safe. */
  public static final class Builder {
    private ConnectAsyncClient asyncClient;
    private ConnectClient syncClient;
    private Executor executor;
    private String instanceId;
    private Duration chatDuration;

    private Builder() {}

    /** The application's async client (preferred). */
    public Builder client(ConnectAsyncClient client) {
      this.asyncClient = Objects.requireNonNull(client, "client == null");
      this.syncClient = null;
      return this;
    }

    /** The application's blocking client, called on {@code executor} (the caller's threads are never blocked). */
    public Builder client(ConnectClient client, Executor executor) {
      this.syncClient = Objects.requireNonNull(client, "client == null");
      this.executor = Objects.requireNonNull(executor, "executor == null");
      this.asyncClient = null;
      return this;
    }

    /** The Amazon Connect instance id or ARN. Required. */
    public Builder instanceId(String instanceId) {
      this.instanceId = instanceId;
      return this;
    }

    /**
     * The chat duration when a chat does not give one: whole minutes from 60 to 10,080 (Amazon Connect's
     * ChatDurationInMinutes). Default: Amazon Connect's own (25 hours).
     */
    public Builder chatDuration(Duration chatDuration) {
      if (chatDuration != null) {
        long m = chatDuration.toMinutes();
        if (!chatDuration.equals(Duration.ofMinutes(m)) || m < 60 || m > 10_080) {
          throw new dev.smsgateway.SmsValidationException("chatDuration",
              "must be whole minutes from 60 to 10080 (Amazon Connect ChatDurationInMinutes): " + chatDuration);
        }
      }
      this.chatDuration = chatDuration;
      return this;
    }

    /**
     * Builds the delivery.
     *
     * @throws SmsConfigurationException without a client or an instance id
     */
    public AmazonConnectContactFlowDelivery build() {
      if (asyncClient == null && syncClient == null) {
        throw new SmsConfigurationException("AmazonConnectContactFlowDelivery needs a ConnectAsyncClient or a "
            + "ConnectClient with an executor");
      }
      if (instanceId == null || instanceId.isBlank()) {
        throw new SmsConfigurationException("AmazonConnectContactFlowDelivery needs the Amazon Connect instanceId");
      }
      instanceId = instanceId.strip();
      return new AmazonConnectContactFlowDelivery(this);
    }
  }
}
