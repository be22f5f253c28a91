package dev.smsgateway.eum;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
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
 * One HTTPS endpoint of an SNS subscription, for the topics whose notifications an application hands to one callback
 * (sms-connect's chat events, sms-email's SES receipts): POST only; the body at most {@code maxBodyBytes}; verified
 * by an {@link SnsMessageVerifier} (allow-listed topic, replay window, certificate, signature) before anything is
 * read from it; then by type: a SubscriptionConfirmation is confirmed with the {@link Builder#snsClient} if given
 * ({@code ConfirmSubscription}, {@code AuthenticateOnUnsubscribe=true}), else logged for the operator; an
 * UnsubscribeConfirmation is logged; a Notification goes to the {@link Notifications} callback, whose answer is
 * SNS's.
 *
 * <pre>{@code
 * SnsEndpoint endpoint = SnsEndpoint.builder("chat event")
 *     .verifier(SnsMessageVerifier.builder().allowTopicArns(List.of(topicArn)).build())
 *     .notifications(message -> handle(message.message()))
 *     .snsClient(snsAsyncClient)
 *     .build();
 * server.createContext("/sns", endpoint.httpHandler());
 * }</pre>
 *
 * <p>Answers: the callback's for a Notification; 200 for a confirmed (or, without an SNS client, logged)
 * subscription and an UnsubscribeConfirmation; 400/403 from the verifier, 405 for another method, 413 for a larger
 * body (4xx: SNS does not deliver again); 503 when ConfirmSubscription failed or the verifier could not fetch the
 * certificate; 500 when the callback threw (a bug: SNS delivers again).
 *
 * <p>{@link SnsWebhookHandler} (EUM two-way SMS and SMS events) verifies and de-duplicates its own way and shares
 * the dispatch by type ({@link #dispatch}) and the confirmation ({@link #confirm}).
 *
 * <p>Threads: {@link #handle} runs on the caller's thread and blocks while the callback runs (and while a
 * subscription is confirmed, up to {@code confirmTimeout}). Thread-safe.
 */
public final class SnsEndpoint {

  private static final Logger log = LoggerFactory.getLogger(SnsEndpoint.class);

  /** Handles a verified Notification; what it answers goes back to SNS (5xx: delivered again). */
  @FunctionalInterface
  public interface Notifications {
    /**
     * @param notification a verified message of type {@link SnsMessage#NOTIFICATION}
     * @return the answer to SNS
     */
    WebhookResponse handle(SnsMessage notification);
  }

  /** A Notification's handling, for {@link #dispatch}; may throw its own checked rejection. */
  @FunctionalInterface
  interface Notification<E extends Exception> {
    WebhookResponse handle() throws E;
  }

  private final String what;
  private final SnsMessageVerifier verifier;
  private final Notifications notifications;
  private final SnsAsyncClient sns;
  private final Duration confirmTimeout;
  private final int maxBodyBytes;

  private SnsEndpoint(Builder b) {
    this.what = b.what;
    this.verifier = b.verifier;
    this.notifications = b.notifications;
    this.sns = b.sns;
    this.confirmTimeout = b.confirmTimeout;
    this.maxBodyBytes = b.maxBodyBytes;
  }

  /**
   * A new builder.
   *
   * @param what what the notifications are, for logs ("chat event", "SES notification")
   */
  public static Builder builder(String what) {
    return new Builder(Objects.requireNonNull(what, "what == null"));
  }

  /** The largest body accepted. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /**
   * Handles one request. Never throws for bad input; every outcome is a response.
   *
   * @param method the HTTP method
   * @param body the raw body; at most {@code maxBodyBytes + 1} bytes are read, not closed
   */
  public WebhookResponse handle(String method, InputStream body) {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(body, "body == null");
    if (!"POST".equalsIgnoreCase(method)) {
      return new WebhookResponse(405, Map.of("Allow", "POST", "Content-Type", "text/plain; charset=utf-8"),
          "only POST is accepted");
    }
    byte[] bytes;
    try {
      bytes = body.readNBytes(maxBodyBytes + 1);
    } catch (IOException e) {
      return WebhookResponse.text(400, "could not read the body");
    }
    return handle(bytes);
  }

  /** Handles the body SNS posted. Never throws for bad input; every outcome is a response. */
  public WebhookResponse handle(byte[] body) {
    Objects.requireNonNull(body, "body == null");
    if (body.length > maxBodyBytes) {
      return WebhookResponse.text(413, "body larger than " + maxBodyBytes + " bytes");
    }
    SnsMessage message;
    try {
      message = verifier.verify(body);
    } catch (SnsVerificationException e) {
      log.warn("{} refused ({}): {}", what, e.status(), e.getMessage());
      return WebhookResponse.text(e.status(), e.getMessage());
    }
    try {
      return dispatch(message.type(), message.topicArn(), message.messageId(),
          () -> confirm(sns, confirmTimeout, message.topicArn(), message.token()),
          () -> notifications.handle(message));
    } catch (RuntimeException e) {
      log.error("{} {} failed unexpectedly", what, message.messageId(), e);
      return WebhookResponse.text(500, "internal error");
    }
  }

  /** An adapter for the JDK's {@code com.sun.net.httpserver.HttpServer}. */
  public HttpHandler httpHandler() {
    return this::serve;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      WebhookResponse response;
      try (InputStream body = exchange.getRequestBody()) {
        response = handle(exchange.getRequestMethod(), body);
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

  /**
   * The dispatch by type of a verified SNS message: SubscriptionConfirmation to {@code confirm}, UnsubscribeConfirmation
   * logged and answered 200, anything else (Notification) to {@code notification}.
   */
  static <E extends Exception> WebhookResponse dispatch(String type, String topicArn, String messageId,
      java.util.function.Supplier<WebhookResponse> confirm, Notification<E> notification) throws E {
    return switch (type) {
      case SnsMessage.SUBSCRIPTION_CONFIRMATION -> confirm.get();
      case SnsMessage.UNSUBSCRIBE_CONFIRMATION -> {
        log.info("SNS topic {} unsubscribed this endpoint (UnsubscribeConfirmation {})", topicArn, messageId);
        yield WebhookResponse.text(200, "ok");
      }
      default -> notification.handle();
    };
  }

  /**
   * Confirms a subscription ({@code ConfirmSubscription} with {@code AuthenticateOnUnsubscribe=true}, so that only
   * the topic owner can unsubscribe): 200 {@code confirmed}; without a client 200 and a WARN for the operator; 503
   * when SNS did not confirm in time or failed (SNS sends the confirmation again).
   */
  static WebhookResponse confirm(SnsAsyncClient sns, Duration timeout, String topicArn, String token) {
    if (sns == null) {
      log.warn("SNS topic {} asks to confirm a subscription but no SNS client is configured; confirm it in the"
          + " console or give the endpoint an SnsAsyncClient", topicArn);
      return WebhookResponse.text(200, "not confirmed: no SNS client");
    }
    try {
      String arn = sns.confirmSubscription(r -> r.topicArn(topicArn).token(token).authenticateOnUnsubscribe("true"))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).subscriptionArn();
      log.info("confirmed SNS subscription {} to topic {}", arn, topicArn);
      return WebhookResponse.text(200, "confirmed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return WebhookResponse.text(503, "interrupted while confirming the subscription");
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? EumErrors.unwrap(e.getCause()) : e;
      log.warn("ConfirmSubscription for topic {} failed: {}", topicArn, cause.getClass().getSimpleName());
      return WebhookResponse.text(503, "ConfirmSubscription failed: " + cause.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "SnsEndpoint{" + what + "}";
  }

  /** Builds {@link SnsEndpoint}. Not thread-safe. */
  public static final class Builder {
    private final String what;
    private SnsMessageVerifier verifier;
    private Notifications notifications;
    private SnsAsyncClient sns;
    private Duration confirmTimeout = Duration.ofSeconds(10);
    private int maxBodyBytes = 256 * 1024;

    private Builder(String what) {
      this.what = what;
    }

    /** Verifies each request; allow-list the topics this endpoint subscribes to. Required. */
    public Builder verifier(SnsMessageVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier == null");
      return this;
    }

    /** Handles each verified Notification. Required. */
    public Builder notifications(Notifications notifications) {
      this.notifications = Objects.requireNonNull(notifications, "notifications == null");
      return this;
    }

    /** Confirms subscriptions; without one they are logged and left to the operator. Optional. */
    public Builder snsClient(SnsAsyncClient sns) {
      this.sns = Objects.requireNonNull(sns, "snsClient == null");
      return this;
    }

    /** How long a subscription confirmation waits for SNS. Default 10 s. */
    public Builder confirmTimeout(Duration confirmTimeout) {
      this.confirmTimeout = Objects.requireNonNull(confirmTimeout, "confirmTimeout == null");
      return this;
    }

    /** The largest body accepted, at least 1,024 bytes (SNS messages are at most 256 KiB). Default 262,144. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1024) {
        throw new IllegalArgumentException("maxBodyBytes must be at least 1024: " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * Builds the endpoint.
     *
     * @throws IllegalStateException without a verifier or a notification callback
     */
    public SnsEndpoint build() {
      if (verifier == null) {
        throw new IllegalStateException("verifier is required: SnsMessageVerifier.builder().allowTopicArns(...)");
      }
      if (notifications == null) {
        throw new IllegalStateException("notifications is required: what a verified Notification becomes");
      }
      return new SnsEndpoint(this);
    }
  }
}
