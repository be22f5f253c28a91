package dev.smsgateway.console;

import static dev.smsgateway.console.ApiClient.Events.type;
import static dev.smsgateway.console.ConsoleFixture.ALICE_TOKEN;
import static dev.smsgateway.console.ConsoleFixture.BOB_TOKEN;
import static dev.smsgateway.console.ConsoleFixture.CAROL_TOKEN;
import static dev.smsgateway.console.ConsoleFixture.DAVE_TOKEN;
import static dev.smsgateway.console.ConsoleFixture.SALES;
import static dev.smsgateway.console.ConsoleFixture.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * The console API end to end on a real stack (SMSC simulator, SMPP, gateway, conversation service): every answer is
 * checked against the OpenAPI file, every refusal has its test, and the last test requires that every documented
 * operation was exercised.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleApiTest {

  private static final AtomicInteger CUSTOMERS = new AtomicInteger(20);
  private final OpenApiContract contract = new OpenApiContract();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private ConsoleFixture f;

  @BeforeAll
  void start() throws Exception {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    f = new ConsoleFixture();
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    if (f != null) {
      f.close();
    }
  }

  private ApiClient as(String token) {
    return new ApiClient(f.uri(), contract).bearer(token);
  }

  private static String customer() {
    return "+1415555" + String.format("%04d", 1000 + CUSTOMERS.incrementAndGet());
  }

  private static String origination(String business, String customer, String text) {
    return "{\"businessNumber\":\"" + business + "\",\"customerNumber\":\"" + customer + "\",\"text\":\"" + text + "\"}";
  }

  @Test
  @Order(1)
  @DisplayName("an agent originates; delivery and the reply arrive on the event stream; the transcript has both")
  void originateDeliverReply() throws Exception {
    ApiClient alice = as(ALICE_TOKEN);
    assertThat(alice.get("/api/me").json().path("presence").asText()).isEqualTo("AVAILABLE");
    JsonNode numbers = alice.get("/api/numbers").json().path("numbers");
    assertThat(numbers).hasSize(1);
    assertThat(numbers.get(0).path("displayName").asText()).isEqualTo("ACME Support");
    assertThat(as(CAROL_TOKEN).get("/api/numbers").json().path("numbers").get(0).path("number").asText())
        .isEqualTo(SALES);
    String customer = customer();
    try (ApiClient.Events events = alice.events()) {
      assertThat(events.status).isEqualTo(200);
      assertThat(events.contentType).startsWith("text/event-stream");
      events.await(type("ready"));
      ApiClient.Response r = alice.post("/api/conversations", origination(SUPPORT, customer, "Your order shipped"));
      assertThat(r.status()).isEqualTo(201);
      String id = r.json().path("conversationId").asText();
      String messageId = r.json().path("messageId").asText();
      JsonNode dlr = events.await(e -> type("delivery").test(e) && e.path("status").asText().equals("DELIVERED"));
      assertThat(dlr.path("conversationId").asText()).isEqualTo(id);
      assertThat(dlr.path("messageId").asText()).isEqualTo(messageId);
      f.smsc.deliverMo(customer, SUPPORT, "Thanks!");
      JsonNode msg = events.await(type("message"));
      assertThat(msg.path("text").asText()).isEqualTo("Thanks!");
      assertThat(msg.path("conversation").path("id").asText()).isEqualTo(id);
      ApiClient.Response sent = alice.post("/api/conversations/" + id + "/messages", "{\"text\":\"You are welcome\"}");
      assertThat(sent.status()).isEqualTo(202);
      JsonNode detail = alice.get("/api/conversations/" + id).json();
      assertThat(detail.path("transcript")).extracting(e -> e.path("direction").asText())
          .containsExactly("OUTBOUND", "INBOUND", "OUTBOUND");
      assertThat(alice.get("/api/conversations").json().path("assigned"))
          .anySatisfy(c -> assertThat(c.path("id").asText()).isEqualTo(id));
      assertThat(alice.post("/api/conversations/" + id + "/accept", null).status()).isEqualTo(204);
      assertThat(alice.post("/api/conversations/" + id + "/end", null).status()).isEqualTo(204);
      JsonNode ended = events.await(type("ended"));
      assertThat(ended.path("conversation").path("endReason").asText()).isEqualTo("AGENT");
      assertThat(alice.post("/api/conversations/" + id + "/end", null).status()).isEqualTo(409);
    }
  }

  @Test
  @Order(2)
  @DisplayName("a reply after the conversation ended comes back to the originating agent with the whisper")
  void whisper() throws Exception {
    ApiClient alice = as(ALICE_TOKEN);
    String customer = customer();
    try (ApiClient.Events events = alice.events()) {
      events.await(type("ready"));
      String id = alice.post("/api/conversations", origination(SUPPORT, customer, "Your table is ready"))
          .json().path("conversationId").asText();
      alice.post("/api/conversations/" + id + "/end", null);
      events.await(type("ended"));
      f.smsc.deliverMo(customer, SUPPORT, "On my way");
      JsonNode assigned = events.await(type("assigned"));
      assertThat(assigned.path("whisper").asText()).isEqualTo("Your table is ready");
      String next = assigned.path("conversation").path("id").asText();
      assertThat(next).isNotEqualTo(id);
      assertThat(alice.get("/api/conversations/" + next).json().path("transcript"))
          .anySatisfy(e -> {
            assertThat(e.path("direction").asText()).isEqualTo("WHISPER");
            assertThat(e.path("text").asText()).isEqualTo("Your table is ready");
          });
    }
  }

  @Test
  @Order(3)
  @DisplayName("STOP ends the conversation (OPT_OUT) on the stream, and texting that customer again is refused (409)")
  void stopOptsOut() throws Exception {
    ApiClient alice = as(ALICE_TOKEN);
    String customer = customer();
    try (ApiClient.Events events = alice.events()) {
      events.await(type("ready"));
      alice.post("/api/conversations", origination(SUPPORT, customer, "Hello"));
      f.smsc.deliverMo(customer, SUPPORT, "STOP");
      JsonNode ended = events.await(type("ended"));
      assertThat(ended.path("conversation").path("endReason").asText()).isEqualTo("OPT_OUT");
    }
    ApiClient.Response again = alice.post("/api/conversations", origination(SUPPORT, customer, "Hello?"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().path("category").asText()).isEqualTo("opted_out");
  }

  @Test
  @Order(4)
  @DisplayName("release hands the conversation to the queue, and the other available agent is assigned live")
  void releaseAndPresence() throws Exception {
    ApiClient alice = as(ALICE_TOKEN);
    ApiClient bob = as(BOB_TOKEN);
    String customer = customer();
    try (ApiClient.Events bobs = bob.events()) {
      bobs.await(type("ready"));
      String id = alice.post("/api/conversations", origination(SUPPORT, customer, "Hi")).json()
          .path("conversationId").asText();
      assertThat(alice.put("/api/me/presence", "{\"presence\":\"AWAY\"}").json().path("presence").asText())
          .isEqualTo("AWAY");
      assertThat(alice.post("/api/conversations/" + id + "/release", null).status()).isEqualTo(204);
      JsonNode assigned = bobs.await(type("assigned"));
      assertThat(assigned.path("conversation").path("id").asText()).isEqualTo(id);
      assertThat(bob.get("/api/conversations/" + id).status()).isEqualTo(200);
      assertThat(alice.get("/api/conversations/" + id).status()).isEqualTo(404);
      assertThat(alice.get("/api/queues").json().path("queues").get(0).path("queue").asText()).isEqualTo("support");
    } finally {
      alice.put("/api/me/presence", "{\"presence\":\"AVAILABLE\"}");
    }
  }

  @Test
  @Order(4)
  @DisplayName("a new customer waits in the queue (queued event, number masked) until the agent becomes available")
  void queuedThenAssigned() throws Exception {
    ApiClient carol = as(CAROL_TOKEN);
    carol.put("/api/me/presence", "{\"presence\":\"OFFLINE\"}");
    String customer = customer();
    try (ApiClient.Events events = carol.events()) {
      events.await(type("ready"));
      f.smsc.deliverMo(customer, SALES, "Do you ship to Canada?");
      JsonNode queued = events.await(type("queued"));
      assertThat(queued.path("position").asInt()).isEqualTo(1);
      assertThat(queued.path("conversation").path("customer").asText()).doesNotContain(customer.substring(5, 10))
          .contains("*");
      JsonNode lists = carol.get("/api/conversations").json();
      assertThat(lists.path("queued")).hasSize(1);
      assertThat(lists.path("queued").get(0).path("customer").asText()).contains("*");
      assertThat(carol.get("/api/queues").json().path("queues").get(0).path("waiting").asInt()).isEqualTo(1);
      carol.put("/api/me/presence", "{\"presence\":\"AVAILABLE\"}");
      JsonNode assigned = events.await(type("assigned"));
      assertThat(assigned.path("whisper").isNull()).isTrue();
      String id = assigned.path("conversation").path("id").asText();
      assertThat(carol.get("/api/conversations/" + id).json().path("transcript"))
          .anySatisfy(e -> assertThat(e.path("text").asText()).isEqualTo("Do you ship to Canada?"));
    } finally {
      carol.put("/api/me/presence", "{\"presence\":\"AVAILABLE\"}");
    }
  }

  @Test
  @Order(5)
  @DisplayName("the same Idempotency-Key sends once and answers the same conversation")
  void idempotency() {
    ApiClient alice = as(ALICE_TOKEN);
    String customer = customer();
    int before = f.smsc.accepted().size();
    Map<String, String> key = Map.of("Idempotency-Key", "order-42-reminder");
    ApiClient.Response a = alice.send("POST", "/api/conversations", origination(SUPPORT, customer, "Reminder"), key);
    ApiClient.Response b = alice.send("POST", "/api/conversations", origination(SUPPORT, customer, "Reminder"), key);
    assertThat(a.status()).isEqualTo(201);
    assertThat(b.json().path("conversationId").asText()).isEqualTo(a.json().path("conversationId").asText());
    assertThat(f.smsc.accepted().size() - before).isEqualTo(1);
    assertThat(alice.send("POST", "/api/conversations", origination(SUPPORT, customer, "x"),
        Map.of("Idempotency-Key", "has space")).status()).isEqualTo(400);
  }

  @Test
  @Order(6)
  @DisplayName("a browser session: sign in sets an HttpOnly SameSite cookie; changes need the CSRF token and the origin")
  void sessionAndCsrf() {
    ApiClient signIn = as(ALICE_TOKEN);
    ApiClient.Response s = signIn.post("/api/session", null);
    assertThat(s.status()).isEqualTo(201);
    String setCookie = s.header("Set-Cookie");
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Secure").contains("Path=/");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = s.json().path("csrfToken").asText();
    ApiClient browser = new ApiClient(f.uri(), contract);
    browser.headers.put("Cookie", cookie);
    assertThat(browser.get("/api/me").json().path("agentId").asText()).isEqualTo("alice");

    ApiClient.Response noCsrf = browser.put("/api/me/presence", "{\"presence\":\"AVAILABLE\"}");
    assertThat(noCsrf.status()).isEqualTo(403);
    assertThat(noCsrf.json().path("category").asText()).isEqualTo("csrf");
    ApiClient.Response wrongCsrf = browser.send("PUT", "/api/me/presence", "{\"presence\":\"AVAILABLE\"}",
        Map.of("X-CSRF-Token", csrf + "x"));
    assertThat(wrongCsrf.status()).isEqualTo(403);
    ApiClient.Response crossSite = browser.send("PUT", "/api/me/presence", "{\"presence\":\"AVAILABLE\"}",
        Map.of("X-CSRF-Token", csrf, "Origin", "https://evil.example"));
    assertThat(crossSite.status()).isEqualTo(403);
    assertThat(crossSite.json().path("category").asText()).isEqualTo("origin");
    ApiClient.Response ok = browser.send("PUT", "/api/me/presence", "{\"presence\":\"AVAILABLE\"}",
        Map.of("X-CSRF-Token", csrf, "Origin", f.uri().toString().replaceAll("/$", "")));
    assertThat(ok.status()).isEqualTo(200);

    assertThat(browser.delete("/api/session").status()).as("sign-out without the CSRF token").isEqualTo(403);
    assertThat(browser.send("DELETE", "/api/session", null, Map.of("X-CSRF-Token", csrf)).status()).isEqualTo(204);
    assertThat(browser.get("/api/me").status()).as("after sign-out").isEqualTo(401);
  }

  @Test
  @Order(7)
  @DisplayName("refusals: no token, a bad token, a malformed header, another agent's conversation, a number not theirs")
  void refusals() {
    ApiClient anonymous = new ApiClient(f.uri(), contract);
    ApiClient.Response none = anonymous.get("/api/me");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(none.json().path("category").asText()).isEqualTo("unauthenticated");
    assertThat(as("not-a-valid-token-at-all").get("/api/me").status()).isEqualTo(401);
    assertThat(as("not-a-valid-token-at-all").post("/api/session", null).status()).isEqualTo(401);
    ApiClient basic = new ApiClient(f.uri(), contract);
    basic.headers.put("Authorization", "Basic YWxpY2U6cGFzcw==");
    assertThat(basic.get("/api/me").status()).isEqualTo(401);

    ApiClient alice = as(ALICE_TOKEN);
    String id = alice.post("/api/conversations", origination(SUPPORT, customer(), "Private")).json()
        .path("conversationId").asText();
    ApiClient bob = as(BOB_TOKEN);
    for (ApiClient.Response r : List.of(bob.get("/api/conversations/" + id),
        bob.post("/api/conversations/" + id + "/messages", "{\"text\":\"hijack\"}"),
        bob.post("/api/conversations/" + id + "/accept", null),
        bob.post("/api/conversations/" + id + "/release", null),
        bob.post("/api/conversations/" + id + "/end", null),
        bob.get("/api/conversations/no-such-id"))) {
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.json().path("field").asText()).isEqualTo("conversationId");
    }
    assertThat(f.conversations.conversation(id).orElseThrow().isOpen()).isTrue();

    ApiClient.Response sales = as(CAROL_TOKEN).post("/api/conversations", origination(SUPPORT, customer(), "Hi"));
    assertThat(sales.status()).isEqualTo(403);
    assertThat(sales.json().path("field").asText()).isEqualTo("businessNumber");
    ApiClient.Response unregistered = as(DAVE_TOKEN).put("/api/me/presence", "{\"presence\":\"AVAILABLE\"}");
    assertThat(unregistered.status()).isEqualTo(409);
    assertThat(as(DAVE_TOKEN).get("/api/me").json().path("registered").asBoolean()).isFalse();
  }

  @Test
  @Order(8)
  @DisplayName("refusals of bad requests: size cap, media type, JSON, fields, method, path; typed and naming the field")
  void badRequests() {
    ApiClient alice = as(ALICE_TOKEN);
    ApiClient.Response big = alice.post("/api/conversations",
        origination(SUPPORT, customer(), "x".repeat(17 * 1024)));
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.json().path("category").asText()).isEqualTo("too_large");
    assertThat(chunkedOverTheCap()).as("a chunked body has no Content-Length: refused once past the cap")
        .startsWith("HTTP/1.1 413");
    assertThat(alice.send("POST", "/api/conversations", "businessNumber=1", Map.of("Content-Type",
        "application/x-www-form-urlencoded")).status()).isEqualTo(415);
    ApiClient.Response notJson = alice.post("/api/conversations", "{nope");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().path("field").asText()).isEqualTo("body");
    ApiClient.Response missing = alice.post("/api/conversations", "{\"businessNumber\":\"" + SUPPORT + "\"}");
    assertThat(missing.json().path("field").asText()).isEqualTo("customerNumber");
    ApiClient.Response badNumber = alice.post("/api/conversations", origination(SUPPORT, "12", "Hi"));
    assertThat(badNumber.status()).isEqualTo(400);
    assertThat(badNumber.json().path("category").asText()).isEqualTo("validation");
    assertThat(badNumber.json().path("field").asText()).isEqualTo("customerNumber");
    ApiClient.Response unknownNumber = alice.post("/api/conversations", origination("+14155550111", customer(), "x"));
    assertThat(unknownNumber.json().path("field").asText()).isEqualTo("businessNumber");
    ApiClient.Response presence = alice.put("/api/me/presence", "{\"presence\":\"ASLEEP\"}");
    assertThat(presence.json().path("field").asText()).isEqualTo("presence");
    alice.checked = false;
    ApiClient.Response wrongMethod = alice.post("/api/me", "{}");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.header("Allow")).isEqualTo("GET");
    assertThat(wrongMethod.header("Content-Type")).isEqualTo("application/problem+json");
    ApiClient.Response unknown = alice.get("/api/nothing-here");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("category").asText()).isEqualTo("not_found");
  }

  @Test
  @Order(8)
  @DisplayName("a refusal does not wait for the body: 401 before any of 100 MB is sent, and the connection closes")
  void refusedBeforeTheBody() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", f.server.address().getPort())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(("POST /api/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 401 Unauthorized");
      List<String> headers = new ArrayList<>();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        headers.add(line.toLowerCase(java.util.Locale.ROOT));
      }
      assertThat(headers).contains("connection: close");
    }
  }

  /** Sends 20 KiB as chunks of 1 KiB with no Content-Length; returns the status line. */
  private String chunkedOverTheCap() {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", f.server.address().getPort())) {
      socket.setSoTimeout(10_000);
      var out = socket.getOutputStream();
      out.write(("POST /api/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ALICE_TOKEN
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] chunk = ("400\r\n" + "x".repeat(1024) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      try {
        for (int i = 0; i < 20; i++) {
          out.write(chunk);
        }
        out.write("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
      } catch (java.io.IOException e) {
        // the server may close the connection once it has answered; the answer is still there to read
      }
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII));
      return in.readLine();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @Order(9)
  @DisplayName("per-agent limits: requests beyond the rate answer 429 with Retry-After; at most N event streams")
  void rateLimits() throws Exception {
    try (ConsoleFixture limited = new ConsoleFixture(b -> b.rateLimit(0.01, 3).maxStreamsPerAgent(1))) {
      ApiClient alice = new ApiClient(limited.uri(), contract).bearer(ALICE_TOKEN);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        statuses.add(alice.get("/api/me").status());
      }
      assertThat(statuses).containsExactly(200, 200, 200, 429);
      ApiClient.Response limitedResponse = alice.get("/api/me");
      assertThat(limitedResponse.header("Retry-After")).isNotNull();
      assertThat(limitedResponse.json().path("category").asText()).isEqualTo("rate_limited");
      assertThat(new ApiClient(limited.uri(), contract).bearer(BOB_TOKEN).get("/api/me").status())
          .as("another agent has their own budget").isEqualTo(200);
      ApiClient bob = new ApiClient(limited.uri(), contract).bearer(BOB_TOKEN);
      try (ApiClient.Events first = bob.events()) {
        first.await(type("ready"));
        ApiClient.Response second = bob.get("/api/events");
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.json().path("category").asText()).isEqualTo("too_many_streams");
      }
    }
  }

  @Test
  @Order(9)
  @DisplayName("a session ends at its lifetime: 401 afterwards, and its open event stream says expired and closes")
  void sessionExpiry() throws Exception {
    dev.smsgateway.test.MutableClock clock = new dev.smsgateway.test.MutableClock(java.time.Instant.now());
    try (ConsoleFixture timed = new ConsoleFixture(b -> b.clock(clock).sessionLifetime(Duration.ofHours(1)))) {
      ApiClient.Response s = new ApiClient(timed.uri(), contract).bearer(ALICE_TOKEN).post("/api/session", null);
      String setCookie = s.header("Set-Cookie");
      assertThat(setCookie).contains("Max-Age=3600");
      ApiClient browser = new ApiClient(timed.uri(), contract);
      browser.headers.put("Cookie", setCookie.substring(0, setCookie.indexOf(';')));
      assertThat(browser.get("/api/me").status()).isEqualTo(200);
      try (ApiClient.Events events = browser.events()) {
        events.await(type("ready"));
        clock.advance(Duration.ofMinutes(61));
        events.await(type("expired"));
      }
      ApiClient.Response after = browser.get("/api/me");
      assertThat(after.status()).isEqualTo(401);
      assertThat(after.json().path("category").asText()).isEqualTo("unauthenticated");
    }
  }

  @Test
  @Order(10)
  @DisplayName("the static console and the OpenAPI file are served; the page forbids framing and inline scripts")
  void staticFiles() {
    ApiClient anonymous = new ApiClient(f.uri(), contract);
    assertThat(anonymous.get("/api/openapi.yaml").body()).startsWith("openapi: 3.1");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    try {
      var page = http.send(java.net.http.HttpRequest.newBuilder(f.uri()).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
          .contains("frame-ancestors 'none'").contains("script-src 'self'");
      assertThat(page.body()).contains("<script type=\"module\" src=\"static/console.js\">");
      var missing = http.send(java.net.http.HttpRequest.newBuilder(f.uri().resolve("/static/../pom.xml")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @Order(100)
  @DisplayName("no token and no whole phone number reached the logs; every documented operation was exercised")
  void logsAndCoverage() {
    List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).isNotEmpty();
    for (String token : List.of(ALICE_TOKEN, BOB_TOKEN, CAROL_TOKEN, DAVE_TOKEN)) {
      assertThat(lines).noneMatch(l -> l.contains(token));
    }
    assertThat(lines).noneMatch(l -> l.matches(".*\\+1415555\\d{4}.*"));
    assertThat(contract.seenOperations()).containsAll(contract.operations().stream()
        .filter(op -> !op.equals("GET /api/events")).toList());
  }
}
