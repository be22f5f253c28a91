package dev.smsgateway.connect;

import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.routing.ChatConnection;
import dev.smsgateway.routing.ChatItems;
import dev.smsgateway.routing.ContactFlowDelivery;
import dev.smsgateway.routing.InboundChat;
import dev.smsgateway.routing.OutboundChat;
import dev.smsgateway.store.ChatLink;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.connect.ConnectAsyncClient;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.ChatMessage;
import software.amazon.awssdk.services.connect.model.CreateParticipantRequest;
import software.amazon.awssdk.services.connect.model.CreateParticipantResponse;
import software.amazon.awssdk.services.connect.model.Endpoint;
import software.amazon.awssdk.services.connect.model.EndpointType;
import software.amazon.awssdk.services.connect.model.ParticipantDetails;
import software.amazon.awssdk.services.connect.model.ParticipantDetailsToAdd;
import software.amazon.awssdk.services.connect.model.ParticipantRole;
import software.amazon.awssdk.services.connect.model.SegmentAttributeValue;
import software.amazon.awssdk.services.connect.model.StartChatContactRequest;
import software.amazon.awssdk.services.connect.model.StartChatContactResponse;
import software.amazon.awssdk.services.connect.model.StartContactStreamingRequest;
import software.amazon.awssdk.services.connect.model.StopContactRequest;
import software.amazon.awssdk.services.connectparticipant.ConnectParticipantAsyncClient;
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
 * <p><b>One chat per conversation.</b> With a {@link Builder#participantClient participant client} and a
 * {@link Builder#streamingTopicArn streaming topic}, the first SMS of a conversation starts the chat
 * ({@link #openChat}: StartChatContact, StartContactStreaming to the topic, CreateParticipantConnection for the
 * customer), the next ones go into it ({@link #sendMessage}: participant SendMessage), the way back reads the chat
 * ({@link #itemsAfter}: GetTranscript) when the topic's notifications arrive ({@link AmazonConnectChatEvents}), and
 * the customer's side ends with the conversation ({@link #endChat}: DisconnectParticipant, or StopContact). An
 * agent-originated chat ({@link #startOutboundChat}) is joined by the application's own participant
 * ({@link #joinChat}: CreateParticipant with role CUSTOM_BOT, then streaming and a connection), through which the
 * agent's follow-ups go into it; the customer's replies come back through the topic. Expired
 * connection tokens are renewed with the participant token. Without them, each inbound SMS starts a contact of its
 * own, related to the conversation's first one.
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
  private final Function<StartChatContactRequest, CompletableFuture<StartChatContactResponse>> startChatFull;
  private final Function<CreateParticipantRequest, CompletableFuture<CreateParticipantResponse>> createParticipant;
  private final String instanceId;
  private final Duration defaultChatDuration;
  private final Function<PhoneNumber, Optional<String>> customerNames;
  private final ParticipantChats chats;

  private AmazonConnectContactFlowDelivery(Builder b) {
    this.instanceId = b.instanceId;
    this.defaultChatDuration = b.chatDuration;
    this.customerNames = b.customerNames;
    Function<StartContactStreamingRequest, CompletableFuture<?>> streaming;
    Function<StopContactRequest, CompletableFuture<?>> stop;
    if (b.asyncClient != null) {
      ConnectAsyncClient c = b.asyncClient;
      this.startChatFull = c::startChatContact;
      this.startOutbound = r -> c.startOutboundChatContact(r).thenApply(x -> x.contactId());
      this.createParticipant = c::createParticipant;
      streaming = c::startContactStreaming;
      stop = c::stopContact;
    } else {
      ConnectClient c = b.syncClient;
      Executor executor = b.executor;
      this.startChatFull = r -> supply(() -> c.startChatContact(r), executor);
      this.startOutbound = r -> supply(() -> c.startOutboundChatContact(r).contactId(), executor);
      this.createParticipant = r -> supply(() -> c.createParticipant(r), executor);
      streaming = r -> supply(() -> c.startContactStreaming(r), executor);
      stop = r -> supply(() -> c.stopContact(r), executor);
    }
    this.startChat = r -> startChatFull.apply(r).thenApply(StartChatContactResponse::contactId);
    this.chats = b.participantClient == null ? null : new ParticipantChats(b.participantClient, streaming, stop,
        b.instanceId.strip(), b.streamingTopicArn, b.forwardSystemMessages, b.stopContactOnEnd, b.clock);
  }

  private static <T> CompletableFuture<T> supply(Supplier<T> call, Executor executor) {
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
    return call("StartChatContact", () -> startChat.apply(request(chat)), chat.toString());
  }

  /**
   * Opens the conversation's chat: StartChatContact then, with a participant client, StartContactStreaming and
   * CreateParticipantConnection. A repeated call for the same SMS (same client token) finds the same contact.
   */
  @Override
  public CompletableFuture<ChatConnection> openChat(InboundChat chat) {
    Objects.requireNonNull(chat, "chat == null");
    if (chats == null) {
      return startChat(chat).thenApply(ChatConnection::contactOnly);
    }
    StartChatContactRequest request = request(chat);
    return call("StartChatContact", () -> startChatFull.apply(request), chat.toString())
        .thenCompose(started -> chats.connect(started.contactId(), started.participantId(),
            started.participantToken()));
  }

  /**
   * Joins an outbound chat (StartOutboundChatContact) as the application's participant: CreateParticipant (role
   * {@code CUSTOM_BOT}, the display name, the client token), then, as for an inbound chat, StartContactStreaming to
   * the topic and CreateParticipantConnection with the participant token. Its messages go to the customer by Amazon
   * Connect; the customer's replies come back through the topic. Without a participant client: no connection.
   */
  @Override
  public CompletableFuture<ChatConnection> joinChat(String contactId, String displayName, String clientToken) {
    Objects.requireNonNull(contactId, "contactId == null");
    Objects.requireNonNull(displayName, "displayName == null");
    if (chats == null) {
      return ContactFlowDelivery.super.joinChat(contactId, displayName, clientToken);
    }
    if (displayName.isEmpty() || displayName.length() > 256) {
      return CompletableFuture.failedFuture(new dev.smsgateway.SmsValidationException("displayName",
          "must be 1 to 256 characters (CreateParticipant DisplayName): " + displayName.length()));
    }
    if (clientToken != null && clientToken.length() > 500) {
      return CompletableFuture.failedFuture(new dev.smsgateway.SmsValidationException("clientToken",
          "is longer than 500 characters (CreateParticipant ClientToken)"));
    }
    CreateParticipantRequest.Builder r = CreateParticipantRequest.builder()
        .instanceId(instanceId)
        .contactId(contactId)
        .participantDetails(ParticipantDetailsToAdd.builder().participantRole(ParticipantRole.CUSTOM_BOT)
            .displayName(displayName).build());
    if (clientToken != null) {
      r.clientToken(clientToken);
    }
    return call("CreateParticipant", () -> createParticipant.apply(r.build()), "contact " + contactId)
        .thenCompose(created -> chats.connect(contactId, created.participantId(),
            created.participantCredentials().participantToken()));
  }

  /** Participant SendMessage into the open chat, renewing an expired connection. */
  @Override
  public CompletableFuture<ChatConnection> sendMessage(ChatLink link, String text, String clientToken) {
    Objects.requireNonNull(link, "link == null");
    Objects.requireNonNull(text, "text == null");
    if (chats == null || !link.hasConnection()) {
      return ContactFlowDelivery.super.sendMessage(link, text, clientToken);
    }
    return chats.send(link, text, clientToken).whenComplete((c, e) -> {
      if (e == null) {
        log.info("SendMessage into contact {} ({} characters)", link.contactId(), text.length());
      } else {
        log.warn("SendMessage into contact {} failed: {}", link.contactId(), e.getMessage());
      }
    });
  }

  /** The chat's items after the cursor (GetTranscript forward), renewing an expired connection. */
  @Override
  public CompletableFuture<ChatItems> itemsAfter(ChatLink link, String cursor) {
    Objects.requireNonNull(link, "link == null");
    if (chats == null || !link.hasConnection()) {
      return ContactFlowDelivery.super.itemsAfter(link, cursor);
    }
    return chats.itemsAfter(link, cursor);
  }

  /** DisconnectParticipant for the customer (or StopContact, see {@link Builder#stopContactOnEnd}). */
  @Override
  public CompletableFuture<Void> endChat(ChatLink link) {
    Objects.requireNonNull(link, "link == null");
    if (chats == null || !link.hasConnection()) {
      return ContactFlowDelivery.super.endChat(link);
    }
    return chats.end(link);
  }

  private StartChatContactRequest request(InboundChat chat) {
    String displayName = customerNames.apply(chat.customer()).filter(n -> !n.isBlank())
        .orElseGet(chat::displayName);
    StartChatContactRequest.Builder r = StartChatContactRequest.builder()
        .instanceId(instanceId)
        .contactFlowId(chat.contactFlowId())
        .attributes(chat.attributes())
        .supportedMessagingContentTypes(TEXT_PLAIN)
        .participantDetails(ParticipantDetails.builder()
            .displayName(displayName.length() > 256 ? displayName.substring(0, 256) : displayName).build());
    if (!chat.text().isEmpty()) {
      r.initialMessage(ChatMessage.builder().contentType(TEXT_PLAIN).content(chat.initialMessage()).build());
    }
    chat.clientToken().ifPresent(r::clientToken);
    chat.relatedContactId().ifPresent(r::relatedContactId);
    chat.chatDuration().or(() -> java.util.Optional.ofNullable(defaultChatDuration))
        .ifPresent(d -> r.chatDurationInMinutes((int) d.toMinutes()));
    return r.build();
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

  private static <T> CompletableFuture<T> call(String operation, Supplier<CompletableFuture<T>> request,
      String what) {
    CompletableFuture<T> sent;
    try {
      sent = request.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(ConnectErrors.map(e, operation));
    }
    return sent.handle((result, error) -> {
      if (error != null) {
        SmsException mapped = ConnectErrors.map(error, operation);
        log.warn("{} for {} failed: {}", operation, what, mapped.getMessage());
        throw mapped;
      }
      if (result instanceof CreateParticipantResponse p) {
        log.info("{} for {}: participant {}", operation, what, p.participantId());
      } else {
        log.info("{} for {} started contact {}", operation, what,
            result instanceof StartChatContactResponse r ? r.contactId() : result);
      }
      return result;
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
    private ConnectParticipantAsyncClient participantClient;
    private String streamingTopicArn;
    private boolean forwardSystemMessages;
    private boolean stopContactOnEnd;
    private Function<PhoneNumber, Optional<String>> customerNames = n -> Optional.empty();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The application's Amazon Connect Participant Service client: with {@link #streamingTopicArn}, each
     * conversation is one chat (the customer's messages go in through a participant connection, the agent's come back
     * through the topic). Its endpoint is the region's {@code participant.connect.<region>.amazonaws.com}.
     */
    public Builder participantClient(ConnectParticipantAsyncClient participantClient) {
      this.participantClient = Objects.requireNonNull(participantClient, "participantClient == null");
      return this;
    }

    /**
     * The SNS topic each chat is streamed to (StartContactStreaming), whose HTTPS subscription is an
     * {@link AmazonConnectChatEvents}: {@code arn:aws:sns:<region>:<account>:<name>}. Required with
     * {@link #participantClient}.
     */
    public Builder streamingTopicArn(String streamingTopicArn) {
      this.streamingTopicArn = streamingTopicArn;
      return this;
    }

    /** Whether messages the flow writes as SYSTEM (queue position, "an agent will be with you") go out as SMS. Default false. */
    public Builder forwardSystemMessages(boolean forwardSystemMessages) {
      this.forwardSystemMessages = forwardSystemMessages;
      return this;
    }

    /**
     * How the chat ends when the conversation ends here (idle timeout, opt-out, the application): false (default)
     * disconnects the customer participant (DisconnectParticipant; the chat ends, the agent sees the customer left),
     * true stops the contact (StopContact, which needs {@code connect:StopContact} permission).
     */
    public Builder stopContactOnEnd(boolean stopContactOnEnd) {
      this.stopContactOnEnd = stopContactOnEnd;
      return this;
    }

    /**
     * The customer's display name in the chat, resolved by the application (a CRM lookup, say); empty or blank uses
     * the masked number. Called once per new chat, on the caller's thread: keep it quick.
     */
    public Builder customerDisplayName(Function<PhoneNumber, Optional<String>> customerNames) {
      this.customerNames = Objects.requireNonNull(customerNames, "customerDisplayName == null");
      return this;
    }

    /** The clock that decides when a connection token is about to expire. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

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
      if (participantClient != null && (streamingTopicArn == null
          || !streamingTopicArn.strip().matches("arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}"))) {
        throw new dev.smsgateway.SmsValidationException("streamingTopicArn", streamingTopicArn == null
            ? "is required with a participantClient (the SNS topic chats are streamed to)"
            : "is not an SNS topic ARN: '" + streamingTopicArn + "'");
      }
      if (participantClient == null && streamingTopicArn != null) {
        throw new SmsConfigurationException("streamingTopicArn without a participantClient: the chat could not be"
            + " written into");
      }
      if (streamingTopicArn != null) {
        streamingTopicArn = streamingTopicArn.strip();
      }
      return new AmazonConnectContactFlowDelivery(this);
    }
  }
}
