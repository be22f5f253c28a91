package dev.smsgateway.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import dev.smsgateway.SmsException;
import dev.smsgateway.eum.SnsEndpoint;
import dev.smsgateway.eum.SnsMessage;
import dev.smsgateway.eum.SnsMessageVerifier;
import dev.smsgateway.eum.WebhookResponse;
import dev.smsgateway.routing.ConversationService;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

/**
 * The way back from Amazon Connect: the HTTPS endpoint subscribed to the SNS topic chats are streamed to
 * ({@link AmazonConnectContactFlowDelivery.Builder#streamingTopicArn}). Each POST is verified by sms-eum's
 * {@link SnsMessageVerifier} (signed envelope, allow-listed topic, replay window, certificate on
 * {@code sns.<region>.amazonaws.com}); a Notification names its chat's {@code ContactId}, and
 * {@link ConversationService#contactFlowActivity} handles what is new in that chat, in the chat's order and once
 * (so SNS's duplicates and reordering change nothing): agent messages go to the customer as SMS, the chat's end ends
 * the conversation.
 *
 * <p>The endpoint itself (body cap, verification, confirmations, 500 on an unexpected failure) is sms-eum's
 * {@link SnsEndpoint}; this class turns its Notifications into chat activity.
 *
 * <p>Answers: 200 when handled (or when the message is not about a chat of ours); the verifier's status (400/403)
 * for a message that fails verification; 503 when something retryable failed (Amazon Connect or the SMS provider
 * throttled, a transport error): SNS then delivers the notification again, and nothing after the failed item was
 * handled; 500 when a store failed. A SubscriptionConfirmation is confirmed with the {@link Builder#snsClient} if
 * given (ConfirmSubscription), else logged for the operator.
 *
 * <pre>{@code
 * AmazonConnectChatEvents events = AmazonConnectChatEvents.builder()
 *     .verifier(SnsMessageVerifier.builder().allowTopicArns(List.of(topicArn)).build())
 *     .conversations(conversationService)
 *     .snsClient(snsAsyncClient)
 *     .build();
 * httpsServer.createContext("/connect/chat-events", events.httpHandler());   // or call handle(body) from a framework
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AmazonConnectChatEvents {

  private static final Logger log = LoggerFactory.getLogger(AmazonConnectChatEvents.class);
  private static final Map<String, String> TEXT = Map.of("Content-Type", "text/plain; charset=utf-8");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ConversationService conversations;
  private final SnsEndpoint endpoint;

  private AmazonConnectChatEvents(Builder b) {
    this.conversations = b.conversations;
    SnsEndpoint.Builder endpoint = SnsEndpoint.builder("chat event").verifier(b.verifier)
        .notifications(this::notification).maxBodyBytes(b.maxBodyBytes);
    if (b.sns != null) {
      endpoint.snsClient(b.sns);
    }
    this.endpoint = endpoint.build();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Handles the body SNS posted. Never throws. */
  public WebhookResponse handle(byte[] body) {
    return endpoint.handle(body);
  }

  private WebhookResponse notification(SnsMessage message) {
    String contactId;
    try {
      JsonNode m = JSON.readTree(message.message());
      contactId = m.path("ContactId").asText(m.path("InitialContactId").asText(null));
    } catch (IOException e) {
      contactId = null;
    }
    if (contactId == null || contactId.isBlank()) {
      log.info("SNS message {} names no chat contact; ignored", message.messageId());
      return text(200, "ignored");
    }
    try {
      int handled = conversations.contactFlowActivity(contactId);
      log.debug("SNS message {} for contact {}: {} chat items handled", message.messageId(), contactId, handled);
      return text(200, "handled " + handled);
    } catch (SmsException e) {
      log.warn("SNS message {} for contact {} not handled yet: {}", message.messageId(), contactId, e.getMessage());
      return text(503, "retry later");
    }
  }

  private static WebhookResponse text(int status, String body) {
    return new WebhookResponse(status, TEXT, body);
  }

  /** An adapter for the JDK's {@code com.sun.net.httpserver}: POST only; the body is read up to the limit. */
  public HttpHandler httpHandler() {
    return endpoint.httpHandler();
  }

  @Override
  public String toString() {
    return "AmazonConnectChatEvents{" + conversations + "}";
  }

  /** Builds {@link AmazonConnectChatEvents}. Not thread-safe. */
  public static final class Builder {
    private SnsMessageVerifier verifier;
    private ConversationService conversations;
    private SnsAsyncClient sns;
    private int maxBodyBytes = 256 * 1024;

    private Builder() {}

    /** Verifies the envelopes; allow-list the streaming topic. Required. */
    public Builder verifier(SnsMessageVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier == null");
      return this;
    }

    /** The service whose conversations the chats carry. Required. */
    public Builder conversations(ConversationService conversations) {
      this.conversations = Objects.requireNonNull(conversations, "conversations == null");
      return this;
    }

    /** Confirms the endpoint's subscription (ConfirmSubscription) when SNS asks. Optional. */
    public Builder snsClient(SnsAsyncClient sns) {
      this.sns = Objects.requireNonNull(sns, "snsClient == null");
      return this;
    }

    /** The largest body accepted (SNS messages are at most 256 KiB). Default 262,144. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1024) {
        throw new dev.smsgateway.SmsValidationException("maxBodyBytes", "must be at least 1024: " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * Builds it.
     *
     * @throws dev.smsgateway.SmsConfigurationException without a verifier or the conversation service
     */
    public AmazonConnectChatEvents build() {
      if (verifier == null || conversations == null) {
        throw new dev.smsgateway.SmsConfigurationException("AmazonConnectChatEvents needs a verifier and the"
            + " ConversationService");
      }
      return new AmazonConnectChatEvents(this);
    }
  }
}
