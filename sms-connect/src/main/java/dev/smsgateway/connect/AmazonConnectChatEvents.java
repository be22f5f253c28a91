package dev.smsgateway.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import dev.smsgateway.SmsException;
import dev.smsgateway.eum.SnsMessage;
import dev.smsgateway.eum.SnsMessageVerifier;
import dev.smsgateway.eum.SnsVerificationException;
import dev.smsgateway.eum.WebhookResponse;
import dev.smsgateway.routing.ConversationService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  private final SnsMessageVerifier verifier;
  private final ConversationService conversations;
  private final SnsAsyncClient sns;
  private final int maxBodyBytes;
  private final Duration confirmTimeout = Duration.ofSeconds(10);

  private AmazonConnectChatEvents(Builder b) {
    this.verifier = b.verifier;
    this.conversations = b.conversations;
    this.sns = b.sns;
    this.maxBodyBytes = b.maxBodyBytes;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Handles the body SNS posted. Never throws. */
  public WebhookResponse handle(byte[] body) {
    Objects.requireNonNull(body, "body == null");
    if (body.length > maxBodyBytes) {
      return text(413, "body too large");
    }
    SnsMessage message;
    try {
      message = verifier.verify(body);
    } catch (SnsVerificationException e) {
      log.warn("SNS message refused ({}): {}", e.status(), e.getMessage());
      return text(e.status(), e.getMessage());
    }
    try {
      return switch (message.type()) {
        case SnsMessage.SUBSCRIPTION_CONFIRMATION -> confirm(message);
        case SnsMessage.UNSUBSCRIBE_CONFIRMATION -> {
          log.info("SNS topic {} unsubscribed this endpoint", message.topicArn());
          yield text(200, "ok");
        }
        default -> notification(message);
      };
    } catch (RuntimeException e) {
      log.error("chat event {} failed", message.messageId(), e);
      return text(500, "internal error");
    }
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

  private WebhookResponse confirm(SnsMessage message) {
    if (sns == null) {
      log.warn("SNS topic {} asks to confirm this endpoint's subscription but no SNS client is configured; confirm"
          + " it in the console or give AmazonConnectChatEvents an SnsAsyncClient", message.topicArn());
      return text(200, "not confirmed: no SNS client");
    }
    try {
      String arn = sns.confirmSubscription(r -> r.topicArn(message.topicArn()).token(message.token())
          .authenticateOnUnsubscribe("true")).get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS).subscriptionArn();
      log.info("confirmed SNS subscription {} to topic {}", arn, message.topicArn());
      return text(200, "confirmed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return text(503, "interrupted");
    } catch (ExecutionException | TimeoutException e) {
      log.warn("ConfirmSubscription for topic {} failed: {}", message.topicArn(), e.toString());
      return text(503, "ConfirmSubscription failed");
    }
  }

  private static WebhookResponse text(int status, String body) {
    return new WebhookResponse(status, TEXT, body);
  }

  /** An adapter for the JDK's {@code com.sun.net.httpserver}: POST only; the body is read up to the limit. */
  public HttpHandler httpHandler() {
    return exchange -> {
      try (exchange) {
        WebhookResponse r;
        if (!"POST".equals(exchange.getRequestMethod())) {
          r = text(405, "POST only");
        } else {
          try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            r = handle(body);
          }
        }
        r.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(r.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        }
      }
    };
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
