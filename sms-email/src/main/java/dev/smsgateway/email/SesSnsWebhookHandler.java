package dev.smsgateway.email;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.smsgateway.eum.SnsMessage;
import dev.smsgateway.eum.SnsMessageVerifier;
import dev.smsgateway.eum.SnsVerificationException;
import dev.smsgateway.eum.WebhookResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

/**
 * Receives what an Amazon SES receipt rule's SNS action publishes, on an HTTPS subscription of that topic, and hands
 * each received email to an {@link EmailOrigination}. Every request is verified by sms-eum's
 * {@link SnsMessageVerifier} (allow-listed topic, replay window, certificate URL and chain, signature) before
 * anything is read from it.
 *
 * <pre>{@code
 * SesSnsWebhookHandler ses = SesSnsWebhookHandler.builder(email)
 *     .verifier(SnsMessageVerifier.builder().allowTopicArns(List.of(topicArn)).build())
 *     .snsClient(snsAsyncClient)            // to confirm the subscription
 *     .build();
 * server.createContext("/ses", ses.httpHandler());
 * }</pre>
 *
 * <p>Answers: 200 when the email was sent, refused (and answered) or a redelivery, and for notifications that are
 * not received mail; 400/403/405/413 for requests refused for good (SNS does not retry 4xx); 503 when the email could
 * not be handled now ({@link EmailNotTakenException}) or the signing certificate could not be fetched, so that SNS
 * delivers again by the topic's delivery policy.
 *
 * <p>Threads: {@link #handle} runs on the caller's thread and blocks while the email is handled. Thread-safe.
 */
public final class SesSnsWebhookHandler {

  private static final Logger log = LoggerFactory.getLogger(SesSnsWebhookHandler.class);

  /** The body cap: SES publishes messages of at most 150 KB, base64 adds a third, plus the envelope. */
  public static final int MAX_BODY_BYTES = 600 * 1024;

  private final EmailOrigination origination;
  private final SnsMessageVerifier verifier;
  private final SnsAsyncClient snsClient;
  private final Duration confirmTimeout;

  private SesSnsWebhookHandler(Builder b) {
    this.origination = b.origination;
    this.verifier = b.verifier;
    this.snsClient = b.snsClient;
    this.confirmTimeout = b.confirmTimeout;
  }

  /** A builder for a handler that feeds {@code origination}. */
  public static Builder builder(EmailOrigination origination) {
    return new Builder(Objects.requireNonNull(origination, "origination == null"));
  }

  /**
   * Handles one request. Never throws for bad input; every outcome is a response.
   *
   * @param method the HTTP method
   * @param headers request headers, names in any case
   * @param body the raw body; at most {@link #MAX_BODY_BYTES} + 1 bytes are read, not closed
   */
  public WebhookResponse handle(String method, Map<String, List<String>> headers, InputStream body) {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(headers, "headers == null");
    Objects.requireNonNull(body, "body == null");
    if (!"POST".equalsIgnoreCase(method)) {
      return new WebhookResponse(405, Map.of("Allow", "POST", "Content-Type", "text/plain; charset=utf-8"),
          "only POST is accepted");
    }
    byte[] bytes;
    try {
      bytes = body.readNBytes(MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      return text(400, "could not read the body");
    }
    if (bytes.length > MAX_BODY_BYTES) {
      return text(413, "body larger than " + MAX_BODY_BYTES + " bytes");
    }
    SnsMessage message;
    try {
      message = verifier.verify(bytes);
    } catch (SnsVerificationException e) {
      log.warn("SES notification refused ({}): {}", e.status(), e.getMessage());
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
      log.error("SES notification {} failed unexpectedly", message.messageId(), e);
      return text(500, "internal error");
    }
  }

  /** An adapter for the JDK's {@code com.sun.net.httpserver.HttpServer}. */
  public HttpHandler httpHandler() {
    return this::serve;
  }

  private WebhookResponse notification(SnsMessage message) {
    SesReceiptNotification.Received received;
    try {
      received = SesReceiptNotification.parse(message.message());
    } catch (SesReceiptNotification.Invalid e) {
      if (e.ignorable) {
        log.info("SNS notification {} ignored: {}", message.messageId(), e.getMessage());
        return text(200, "ignored");
      }
      log.warn("SES notification {} refused: {}", message.messageId(), e.getMessage());
      return text(400, e.getMessage());
    }
    try {
      EmailOutcome outcome = origination.handle(received.message(), received.receipt());
      return text(200, outcome.getClass().getSimpleName().toLowerCase(Locale.ROOT));
    } catch (EmailNotTakenException e) {
      log.warn("SES notification {} not taken; answering 503 so that SNS delivers it again: {}",
          message.messageId(), e.getMessage());
      return text(503, "not taken");
    }
  }

  private WebhookResponse confirm(SnsMessage message) {
    if (snsClient == null) {
      log.warn("SNS topic {} asks to confirm a subscription but no SNS client is configured; confirm it in the"
          + " console or give the handler an SnsAsyncClient", message.topicArn());
      return text(200, "not confirmed: no SNS client");
    }
    try {
      String arn = snsClient.confirmSubscription(r -> r.topicArn(message.topicArn()).token(message.token())
              .authenticateOnUnsubscribe("true"))
          .get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS).subscriptionArn();
      log.info("confirmed SNS subscription {} to topic {}", arn, message.topicArn());
      return text(200, "confirmed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return text(503, "interrupted while confirming");
    } catch (ExecutionException | TimeoutException e) {
      log.warn("ConfirmSubscription for {} failed: {}", message.topicArn(), e.getClass().getSimpleName());
      return text(503, "ConfirmSubscription failed");
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      WebhookResponse response;
      try (InputStream body = exchange.getRequestBody()) {
        response = handle(exchange.getRequestMethod(), exchange.getRequestHeaders(), body);
      }
      for (Map.Entry<String, String> h : response.headers().entrySet()) {
        exchange.getResponseHeaders().set(h.getKey(), h.getValue());
      }
      if (response.status() == 413) {
        exchange.getResponseHeaders().set("Connection", "close");
      }
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private static WebhookResponse text(int status, String body) {
    return new WebhookResponse(status, Map.of("Content-Type", "text/plain; charset=utf-8"), body);
  }

  /** Builds {@link SesSnsWebhookHandler}. Not thread-safe. */
  public static final class Builder {
    private final EmailOrigination origination;
    private SnsMessageVerifier verifier;
    private SnsAsyncClient snsClient;
    private Duration confirmTimeout = Duration.ofSeconds(10);

    private Builder(EmailOrigination origination) {
      this.origination = origination;
    }

    /** Verifies each request (its allow-listed topics are the SES notification topics). Required. */
    public Builder verifier(SnsMessageVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier == null");
      return this;
    }

    /**
     * Confirms subscriptions ({@code ConfirmSubscription} with {@code AuthenticateOnUnsubscribe=true}). Without one,
     * confirmations are logged and left to the operator.
     */
    public Builder snsClient(SnsAsyncClient snsClient) {
      this.snsClient = Objects.requireNonNull(snsClient, "snsClient == null");
      return this;
    }

    /** How long a subscription confirmation waits for SNS. Default 10 s. */
    public Builder confirmTimeout(Duration confirmTimeout) {
      this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout == null");
      return this;
    }

    /**
     * Builds the handler.
     *
     * @throws IllegalStateException if no verifier was given
     */
    public SesSnsWebhookHandler build() {
      if (verifier == null) {
        throw new IllegalStateException("verifier is required: SnsMessageVerifier.builder().allowTopicArns(...)");
      }
      return new SesSnsWebhookHandler(this);
    }
  }
}
