package dev.smsgateway.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.twilio.http.NetworkHttpClient;
import dev.smsgateway.twilio.SingleAttemptHttpClient;
import dev.smsgateway.twilio.TwilioWebhookSignature;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.core5.http.HttpHost;

/**
 * A stateful stand-in for the parts of Twilio Flex the {@code flex} example uses, on 127.0.0.1: twilio-java's requests
 * for flex-api, conversations and taskrouter are routed to it. It keeps what Twilio keeps and behaves as Twilio
 * documents it:
 * <ul>
 *   <li>{@code POST /v1/Interactions}: an agent-initiated SMS channel creates an active conversation with the customer
 *       as SMS participant on the proxy address; a customer-initiated one attaches to its {@code media_channel_sid}.
 *       Either creates a task with the routing attributes; {@code worker_sid} in the routing properties reserves it for
 *       that worker (a pending reservation), otherwise it waits in the workflow. The answer's task attributes carry
 *       the {@code conversationSid}, as Flex's do;
 *   <li>{@code POST /v1/Services/{IS}/Conversations/{CH}/Messages}: a message in an active conversation (a closed one
 *       refuses it, 409);
 *   <li>{@code GET .../Tasks/{WT}/Reservations} (filtered by {@code WorkerSid} and {@code ReservationStatus}) and
 *       {@code POST .../Reservations/{WR}} with {@code ReservationStatus=accepted};
 *   <li>{@code GET .../Workers/{WK}}: {@code available} as {@link #setAvailable} says.
 * </ul>
 * {@link #customerSends} plays the customer's SMS: into the active conversation with that customer and number when
 * there is one (no webhook), otherwise a new conversation and a signed {@code onConversationAdded} to the
 * Conversations webhook URL. Requests without Basic auth for the account get 401.
 *
 * <p>Thread-safe (every state change synchronized).
 */
final class FlexStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** One conversation. */
  static final class Conversation {
    final String sid;
    final String customer;
    final String proxy;
    String state = "active";
    final List<String> messages = new ArrayList<>();

    Conversation(String sid, String customer, String proxy) {
      this.sid = sid;
      this.customer = customer;
      this.proxy = proxy;
    }
  }

  /** One task and its reservation. */
  record Task(String sid, String conversationSid, String workerSid, JsonNode attributes, String reservationSid,
      String[] reservationStatus) {}

  final Loopback.Server server;
  private final String accountSid;
  private final String serviceSid;
  private final TwilioWebhookSignature signer;
  private final Map<String, Conversation> conversations = new LinkedHashMap<>();
  final Map<String, Task> tasks = new LinkedHashMap<>();
  private final Map<String, Boolean> available = new LinkedHashMap<>();
  private final AtomicLong ids = new AtomicLong(0x1000);
  private URI webhook;

  FlexStandIn(String accountSid, String authToken, String serviceSid) throws IOException {
    this.accountSid = accountSid;
    this.serviceSid = serviceSid;
    this.signer = TwilioWebhookSignature.of(List.of(authToken));
    this.server = new Loopback.Server("flex-stand-in").handle("/", this::handle).start();
  }

  /** twilio-java's HTTP client, every host routed here, sending each request once. */
  SingleAttemptHttpClient client() {
    HttpHost target = new HttpHost("http", "127.0.0.1", server.port());
    return SingleAttemptHttpClient.wrap(new NetworkHttpClient(SingleAttemptHttpClient.apacheBuilder(2000, 10_000, 4)
        .setRoutePlanner((host, context) -> new HttpRoute(target))));
  }

  void webhook(URI url) {
    this.webhook = url;
  }

  synchronized void setAvailable(String workerSid, boolean isAvailable) {
    available.put(workerSid, isAvailable);
  }

  synchronized void close(String conversationSid) {
    conversations.get(conversationSid).state = "closed";
  }

  synchronized Conversation conversation(String sid) {
    return conversations.get(sid);
  }

  synchronized List<Task> tasks() {
    return List.copyOf(tasks.values());
  }

  /** The customer's SMS; returns the conversation it landed in and the webhook's status (0: none was called). */
  record Delivered(String conversationSid, int webhookStatus) {}

  Delivered customerSends(String customer, String business, String text) throws Exception {
    Conversation c;
    synchronized (this) {
      c = conversations.values().stream().filter(x -> x.state.equals("active") && x.customer.equals(customer)
          && x.proxy.equals(business)).findFirst().orElse(null);
      if (c != null) {
        c.messages.add(text);
        return new Delivered(c.sid, 0);
      }
      c = new Conversation(sid("CH"), customer, business);
      c.messages.add(text);
      conversations.put(c.sid, c);
    }
    List<Map.Entry<String, String>> params = List.of(Map.entry("AccountSid", accountSid),
        Map.entry("ChatServiceSid", serviceSid), Map.entry("ConversationSid", c.sid),
        Map.entry("EventType", "onConversationAdded"), Map.entry("State", "active"), Map.entry("Source", "SMS"),
        Map.entry("MessagingBinding.Address", customer), Map.entry("MessagingBinding.ProxyAddress", business));
    return new Delivered(c.sid, post(webhook, params, signer.sign(webhook.toString(), params)));
  }

  /** Posts form {@code params} to {@code url} with {@code signature}; returns the status. */
  static int post(URI url, List<Map.Entry<String, String>> params, String signature) throws Exception {
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, String> p : params) {
      body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8))
          .append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
    }
    return HTTP.send(HttpRequest.newBuilder(url).header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String sid(String prefix) {
    return prefix + HexFormat.of().toHexDigits(ids.incrementAndGet()) + "0".repeat(16);
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      String user = auth == null || !auth.startsWith("Basic ") ? "" : new String(java.util.Base64.getDecoder()
          .decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
      if (!user.startsWith(accountSid + ":")) {
        Loopback.respond(ex, 401, "application/json", "{\"code\":20003,\"message\":\"Authenticate\",\"status\":401}");
        return;
      }
      String path = ex.getRequestURI().getPath();
      String query = ex.getRequestURI().getRawQuery();
      Map<String, String> form = Loopback.form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String[] seg = path.split("/");
      String answer;
      int status = 200;
      synchronized (this) {
        if (ex.getRequestMethod().equals("POST") && path.equals("/v1/Interactions")) {
          answer = interaction(form);
          status = 201;
        } else if (ex.getRequestMethod().equals("POST") && path.endsWith("/Messages") && seg.length == 7) {
          Conversation c = conversations.get(seg[5]);
          if (c == null || !c.state.equals("active")) {
            Loopback.respond(ex, c == null ? 404 : 409, "application/json",
                "{\"code\":50353,\"message\":\"Conversation is not active\",\"status\":409}");
            return;
          }
          c.messages.add(form.get("Body"));
          answer = "{\"sid\":\"" + sid("IM") + "\",\"conversation_sid\":\"" + c.sid + "\",\"index\":"
              + (c.messages.size() - 1) + ",\"author\":" + JSON.writeValueAsString(form.get("Author")) + "}";
          status = 201;
        } else if (path.endsWith("/Reservations") && ex.getRequestMethod().equals("GET")) {
          Task t = tasks.get(seg[5]);
          Map<String, String> q = Loopback.form(query == null ? "" : query);
          boolean match = t != null && t.reservationSid() != null && t.workerSid().equals(q.get("WorkerSid"))
              && t.reservationStatus()[0].equals(q.getOrDefault("ReservationStatus", t.reservationStatus()[0]));
          answer = "{\"reservations\":[" + (match ? reservation(t) : "") + "],\"meta\":{\"page\":0,\"page_size\":50,"
              + "\"key\":\"reservations\",\"next_page_url\":null}}";
        } else if (path.contains("/Reservations/") && ex.getRequestMethod().equals("POST")) {
          Task t = tasks.get(seg[5]);
          if ("accepted".equals(form.get("ReservationStatus")) && t != null) {
            t.reservationStatus()[0] = "accepted";
          }
          answer = reservation(t);
        } else if (path.contains("/Workers/") && ex.getRequestMethod().equals("GET")) {
          answer = "{\"sid\":\"" + seg[5] + "\",\"available\":" + available.getOrDefault(seg[5], false) + "}";
        } else {
          Loopback.respond(ex, 404, "application/json", "{\"code\":20404,\"status\":404}");
          return;
        }
      }
      Loopback.respond(ex, status, "application/json", answer);
    } catch (RuntimeException e) {
      Loopback.respond(ex, 400, "application/json", "{\"code\":20001,\"message\":\"bad request\",\"status\":400}");
    }
  }

  private String interaction(Map<String, String> form) throws IOException {
    JsonNode channel = JSON.readTree(form.get("Channel"));
    JsonNode properties = JSON.readTree(form.getOrDefault("Routing", "{}")).path("properties");
    String conversation;
    if ("agent".equals(channel.path("initiated_by").asText())) {
      JsonNode p = channel.path("participants").get(0);
      Conversation c = new Conversation(sid("CH"), p.path("address").asText(), p.path("proxy_address").asText());
      conversations.put(c.sid, c);
      conversation = c.sid;
    } else {
      conversation = channel.path("properties").path("media_channel_sid").asText();
      if (!conversations.containsKey(conversation)) {
        throw new IllegalArgumentException("no such conversation");
      }
    }
    ObjectNode attributes = properties.path("attributes").isObject()
        ? (ObjectNode) properties.path("attributes").deepCopy() : JSON.createObjectNode();
    attributes.put("conversationSid", conversation);
    String worker = properties.path("worker_sid").asText(null);
    Task t = new Task(sid("WT"), conversation, worker, attributes, worker == null ? null : sid("WR"),
        new String[] {"pending"});
    tasks.put(t.sid(), t);
    ObjectNode answer = JSON.createObjectNode();
    answer.put("sid", sid("KD"));
    answer.putObject("channel").put("type", "sms").put("sid", sid("UO"));
    ObjectNode props = answer.putObject("routing").putObject("properties");
    props.put("sid", t.sid());
    props.put("workspace_sid", properties.path("workspace_sid").asText());
    props.put("workflow_sid", properties.path("workflow_sid").asText());
    props.put("attributes", JSON.writeValueAsString(attributes));
    return JSON.writeValueAsString(answer);
  }

  private static String reservation(Task t) {
    return "{\"sid\":\"" + t.reservationSid() + "\",\"task_sid\":\"" + t.sid() + "\",\"worker_sid\":\"" + t.workerSid()
        + "\",\"reservation_status\":\"" + t.reservationStatus()[0] + "\"}";
  }

  @Override
  public void close() {
    server.close();
  }
}
