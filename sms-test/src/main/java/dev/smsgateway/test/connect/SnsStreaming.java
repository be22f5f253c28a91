package dev.smsgateway.test.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SNS side of {@link AmazonConnectStandIn}: topics with HTTP(S) subscriptions, and delivery of signed
 * Notification envelopes to them, one at a time in publishing order, each retried up to 3 times (after 50, 100,
 * 200 ms) when the endpoint does not answer 2xx, as SNS retries HTTP deliveries. Deliveries can be held and released
 * (also in reverse) and delivered again, to test duplicated and out-of-order deliveries.
 */
final class SnsStreaming implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SnsStreaming.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One envelope posted (or to be posted) to one endpoint. */
  record Delivery(URI endpoint, String body, String snsMessageId) {}

  private final SnsTestSigner signer;
  private final Clock clock;
  private final Map<String, List<URI>> subscriptions = new ConcurrentHashMap<>();
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "connect-standin-sns");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Delivery> delivered = new CopyOnWriteArrayList<>();
  private final List<Delivery> held = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger pending = new AtomicInteger();
  private volatile boolean holding;

  SnsStreaming(SnsTestSigner signer, Clock clock) {
    this.signer = signer;
    this.clock = clock;
  }

  void subscribe(String topicArn, URI endpoint) {
    subscriptions.computeIfAbsent(topicArn, k -> new CopyOnWriteArrayList<>()).add(endpoint);
  }

  boolean hasTopic(String topicArn) {
    return subscriptions.containsKey(topicArn);
  }

  /** Publishes a chat item of a contact, as Amazon Connect's chat streaming does. */
  void publish(String topicArn, StandInContact contact, ChatItem item) {
    ObjectNode m = JSON.createObjectNode();
    m.put("AbsoluteTime", SnsTestSigner.SNS_TIME.format(item.absoluteTime()));
    if (item.content() != null) {
      m.put("Content", item.content());
    }
    m.put("ContentType", item.contentType());
    m.put("Id", item.id());
    m.put("Type", item.type());
    if (item.participantId() != null) {
      m.put("ParticipantId", item.participantId());
    }
    if (item.displayName() != null) {
      m.put("DisplayName", item.displayName());
    }
    if (item.participantRole() != null) {
      m.put("ParticipantRole", item.participantRole());
    }
    m.put("InitialContactId", contact.id);
    m.put("ContactId", contact.id);
    String messageId = UUID.randomUUID().toString();
    Map<String, String> envelope = signer.notification(topicArn, messageId, m.toString(), clock.instant());
    ObjectNode body = JSON.createObjectNode();
    envelope.forEach(body::put);
    for (URI endpoint : subscriptions.getOrDefault(topicArn, List.of())) {
      submit(new Delivery(endpoint, body.toString(), messageId));
    }
  }

  private void submit(Delivery d) {
    if (holding) {
      held.add(d);
      return;
    }
    pending.incrementAndGet();
    sender.execute(() -> {
      try {
        post(d);
      } finally {
        pending.decrementAndGet();
      }
    });
  }

  private void post(Delivery d) {
    long backoff = 50;
    for (int attempt = 1; attempt <= 4; attempt++) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(d.endpoint())
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "text/plain; charset=UTF-8")
            .header("x-amz-sns-message-type", "Notification")
            .header("x-amz-sns-message-id", d.snsMessageId())
            .POST(HttpRequest.BodyPublishers.ofString(d.body())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 == 2) {
          delivered.add(d);
          return;
        }
        log.info("SNS delivery {} to {} answered {} (attempt {})", d.snsMessageId(), d.endpoint(), r.statusCode(),
            attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        log.info("SNS delivery {} to {} failed (attempt {}): {}", d.snsMessageId(), d.endpoint(), attempt,
            e.toString());
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoff *= 2;
    }
    log.warn("SNS delivery {} to {} given up after 4 attempts", d.snsMessageId(), d.endpoint());
  }

  void hold() {
    holding = true;
  }

  void release(boolean reversed) {
    List<Delivery> out;
    synchronized (held) {
      holding = false;
      out = new ArrayList<>(held);
      held.clear();
    }
    if (reversed) {
      Collections.reverse(out);
    }
    out.forEach(this::submit);
  }

  void redeliver(Delivery d) {
    submit(d);
  }

  List<Delivery> delivered() {
    return List.copyOf(delivered);
  }

  /** Waits until nothing is being delivered; false on timeout. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  void awaitQuietly() {
    try {
      awaitIdle(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void clear() {
    subscriptions.clear();
    delivered.clear();
    held.clear();
    holding = false;
  }

  @Override
  public void close() {
    sender.shutdownNow();
    try {
      sender.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
