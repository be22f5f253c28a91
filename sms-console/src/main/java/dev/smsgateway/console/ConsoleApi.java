package dev.smsgateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.internal.Redaction;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.routing.AgentStatus;
import dev.smsgateway.routing.BusinessNumber;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.OutboundConversation;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.routing.QueueStatus;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.TranscriptEntry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's request handling, independent of the server: authentication (bearer token or session cookie), CSRF
 * and origin checks, per-agent rate limits, body caps, the JSON API over {@link ConversationService}, the event
 * stream and the static files. Every refusal is a problem+json answer.
 *
 * <p>Thread-safe.
 */
final class ConsoleApi {

  private static final Logger log = LoggerFactory.getLogger(ConsoleApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CONVERSATION = Pattern.compile("/api/conversations/([A-Za-z0-9._:-]{1,100})(/[a-z]+)?");
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
  private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

  private final SmsConsole.Builder settings;
  private final ConversationService service;
  private final AgentAuthenticator authenticator;
  private final Sessions sessions;
  private final RateLimiter limiter;
  private final EventHub hub;
  private final StaticFiles files;
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> streams =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean closed;

  ConsoleApi(SmsConsole.Builder settings, EventHub hub) {
    this.settings = settings;
    this.service = settings.service;
    this.authenticator = settings.authenticator;
    this.sessions = new Sessions(settings.clock, settings.sessionLifetime, settings.maxSessions);
    this.limiter = new RateLimiter(settings.requestsPerSecond, settings.burst, settings.clock);
    this.hub = hub;
    this.files = new StaticFiles();
  }

  void close() {
    closed = true;
  }

  /** Who is asking, and how they proved it. */
  private record Caller(String agentId, Instant expiresAt, Sessions.Session session) {}

  void handle(Exchange x) throws IOException {
    String path = x.path();
    String method = x.method();
    try {
      if (!path.startsWith("/api/")) {
        files.serve(x, method, path);
        return;
      }
      if (path.equals("/api/openapi.yaml")) {
        requireMethod(method, "GET");
        files.serveOpenApi(x);
        return;
      }
      if (path.equals("/api/session")) {
        session(x, method);
        return;
      }
      Caller caller = authenticate(x);
      checkUnsafe(x, method, caller);
      long wait = limiter.acquire(caller.agentId());
      if (wait > 0) {
        log.debug("agent {} rate-limited on {} {}", caller.agentId(), method, path);
        throw new Problem(429, "rate_limited", null, "more than " + settings.requestsPerSecond
            + " requests a second (bursts of " + settings.burst + "); retry after " + wait + " s", wait);
      }
      route(x, method, path, caller);
    } catch (Problem p) {
      problem(x, p);
    } catch (SmsException e) {
      problem(x, Problem.of(e));
    } catch (RuntimeException e) {
      // Only the class and a redacted message: a cause chain could quote a number or a credential.
      log.warn("console request {} {} failed: {}", method, path, Redaction.text(e.toString()));
      problem(x, new Problem(500, "internal", "internal error"));
    }
  }

  private void route(Exchange x, String method, String path, Caller caller) throws IOException {
    String me = caller.agentId();
    switch (path) {
      case "/api/me" -> {
        requireMethod(method, "GET");
        json(x, 200, Views.agent(me, service.monitor().agent(me).orElse(null)));
        return;
      }
      case "/api/me/presence" -> {
        requireMethod(method, "PUT");
        JsonNode body = body(x);
        String p = text(body, "presence", 20);
        Presence presence;
        try {
          presence = Presence.valueOf(p);
        } catch (IllegalArgumentException e) {
          throw Problem.badRequest("presence", "must be AVAILABLE, AWAY or OFFLINE");
        }
        if (service.monitor().agent(me).isEmpty()) {
          throw new Problem(409, "not_registered", "agentId",
              "agentId: you are not registered with the conversation service; ask an administrator", 0);
        }
        service.setPresence(me, presence);
        json(x, 200, Views.agent(me, service.monitor().agent(me).orElse(null)));
        return;
      }
      case "/api/numbers" -> {
        requireMethod(method, "GET");
        ArrayNode a = Views.F.arrayNode();
        RoutingConfiguration config = service.router().configuration();
        for (Mapping m : config.mappings()) {
          for (BusinessNumber n : m.numbers()) {
            if (allowed(me, n)) {
              a.add(Views.number(n, m.code()));
            }
          }
        }
        json(x, 200, Views.F.objectNode().set("numbers", a));
        return;
      }
      case "/api/queues" -> {
        requireMethod(method, "GET");
        ArrayNode a = Views.F.arrayNode();
        AgentStatus status = service.monitor().agent(me).orElse(null);
        if (status != null) {
          for (String q : status.queues().stream().sorted().toList()) {
            QueueStatus s = service.monitor().queue(q);
            a.add(Views.queue(s));
          }
        }
        json(x, 200, Views.F.objectNode().set("queues", a));
        return;
      }
      case "/api/conversations" -> {
        if (method.equals("POST")) {
          originate(x, me);
        } else {
          requireMethod(method, "GET");
          list(x, me);
        }
        return;
      }
      case "/api/events" -> {
        requireMethod(method, "GET");
        stream(x, caller);
        return;
      }
      default -> { }
    }
    Matcher m = CONVERSATION.matcher(path);
    if (!m.matches()) {
      throw new Problem(404, "not_found", "no such resource: " + abbreviate(path));
    }
    String id = m.group(1);
    String action = m.group(2);
    Conversation c = own(me, id);
    if (action == null) {
      requireMethod(method, "GET");
      ObjectNode o = Views.F.objectNode();
      o.set("conversation", Views.conversation(c, service.router().configuration()));
      ArrayNode t = o.putArray("transcript");
      for (TranscriptEntry e : service.transcript(id)) {
        t.add(Views.entry(e));
      }
      json(x, 200, o);
      return;
    }
    requireMethod(method, "POST");
    switch (action) {
      case "/messages" -> {
        String text = text(body(x), "text", settings.maxTextLength);
        SendReceipt r = await(service.send(me, id, text));
        ObjectNode o = Views.F.objectNode();
        o.put("conversationId", id);
        o.put("messageId", r.messageId());
        o.put("parts", r.parts());
        json(x, 202, o);
      }
      case "/accept" -> {
        service.accept(me, id);
        noContent(x);
      }
      case "/release" -> {
        service.release(me, id);
        noContent(x);
      }
      case "/end" -> {
        if (!c.isOpen()) {
          throw new Problem(409, "ended", "conversationId", "conversationId: the conversation has ended", 0);
        }
        service.end(id, Conversation.EndReason.AGENT);
        noContent(x);
      }
      default -> throw new Problem(404, "not_found", "no such action: " + abbreviate(action));
    }
  }

  // ------------------------------------------------------------------------------------------------ operations

  private void originate(Exchange x, String me) throws IOException {
    JsonNode body = body(x);
    String business = text(body, "businessNumber", 40);
    String customer = text(body, "customerNumber", 40);
    String text = text(body, "text", settings.maxTextLength);
    String key = x.header("Idempotency-Key");
    if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
      throw Problem.badRequest("Idempotency-Key", "must be 1-200 printable ASCII characters");
    }
    RoutingConfiguration config = service.router().configuration();
    BusinessNumber number = config.findNumber(business).orElseThrow(() -> Problem.badRequest("businessNumber",
        "is not a business number: " + PhoneNumbers.mask(business)));
    if (!allowed(me, number)) {
      throw new Problem(403, "forbidden", "businessNumber",
          "businessNumber: you may not text from " + number.displayName(), 0);
    }
    // Keys are the agent's own: two agents' equal keys never collapse into one send. Digested so that any agent id
    // and key fit the library's 255 characters and every store's text column.
    OutboundConversation o = await(service.startOutbound(me, business, customer, text,
        key == null ? null : "console:" + StaticTokenAuthenticator.digest(me.length() + ":" + me + ":" + key)));
    ObjectNode out = Views.F.objectNode();
    out.put("conversationId", o.conversationId());
    out.put("messageId", o.messageId());
    service.conversation(o.conversationId())
        .ifPresent(c -> out.set("conversation", Views.conversation(c, config)));
    json(x, 201, out);
  }

  private void list(Exchange x, String me) throws IOException {
    RoutingConfiguration config = service.router().configuration();
    ObjectNode o = Views.F.objectNode();
    o.set("assigned", Views.conversations(service.monitor().conversationsOf(me), config));
    ArrayNode queued = o.putArray("queued");
    service.monitor().agent(me).ifPresent(a -> a.queues().stream().sorted().forEach(q -> {
      for (Conversation c : service.monitor().waiting(q)) {
        // Waiting conversations show who waits, not what they wrote: the transcript opens once assigned.
        ObjectNode v = Views.conversation(c, config);
        v.put("customer", PhoneNumbers.mask(c.customer().e164()));
        queued.add(v);
      }
    }));
    json(x, 200, o);
  }

  private void stream(Exchange x, Caller caller) throws IOException {
    String me = caller.agentId();
    java.util.concurrent.atomic.AtomicInteger open =
        streams.computeIfAbsent(me, k -> new java.util.concurrent.atomic.AtomicInteger());
    if (open.incrementAndGet() > settings.maxStreamsPerAgent) {
      open.decrementAndGet();
      throw new Problem(429, "too_many_streams", null, "at most " + settings.maxStreamsPerAgent
          + " event streams per agent; close a tab", 5);
    }
    try (EventHub.Subscription sub = hub.subscribe(me)) {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Content-Type", "text/event-stream; charset=utf-8");
      h.put("Cache-Control", "no-store");
      h.put("X-Accel-Buffering", "no");
      Exchange.Stream out = x.stream(h);
      ObjectNode ready = Views.F.objectNode();
      ready.put("agentId", me);
      out.write(("retry: 2000\n").getBytes(StandardCharsets.US_ASCII));
      out.write(hub.frame("ready", ready));
      long heartbeat = settings.heartbeat.toMillis();
      while (!closed) {
        if (caller.expiresAt() != null && !settings.clock.instant().isBefore(caller.expiresAt())) {
          out.write(hub.frame("expired", Views.F.objectNode()));
          return;
        }
        byte[] frame = sub.next(heartbeat);
        if (sub.lost()) {
          out.write(hub.frame("lost", Views.F.objectNode()));
          return;
        }
        out.write(frame == null ? KEEPALIVE : frame);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.debug("event stream of agent {} closed by the client", me);
    } finally {
      open.decrementAndGet();
    }
  }

  // ------------------------------------------------------------------------------------------------ security

  private void session(Exchange x, String method) throws IOException {
    if (method.equals("DELETE")) {
      String cookie = cookie(x);
      Optional<Sessions.Session> s = sessions.find(cookie);
      if (s.isPresent()) {
        checkCsrf(x, s.get());
        sessions.close(cookie);
      }
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Set-Cookie", Sessions.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
          + (settings.secureCookies ? "; Secure" : ""));
      h.put("Cache-Control", "no-store");
      x.respond(204, h, new byte[0]);
      return;
    }
    requireMethod(method, "POST");
    checkOrigin(x);
    String token = bearer(x);
    if (token == null) {
      throw unauthorized("sign in with an Authorization: Bearer token");
    }
    AgentIdentity identity = authenticator.authenticate(token)
        .orElseThrow(() -> unauthorized("the bearer token is not valid"));
    long wait = limiter.acquire(identity.agentId());
    if (wait > 0) {
      throw new Problem(429, "rate_limited", null, "too many requests; retry after " + wait + " s", wait);
    }
    Map.Entry<String, Sessions.Session> opened = sessions.open(identity);
    Sessions.Session s = opened.getValue();
    log.info("agent {} signed in to the console", identity.agentId());
    ObjectNode o = Views.F.objectNode();
    o.put("agentId", s.agentId());
    o.put("csrfToken", s.csrfToken());
    o.put("expiresAt", Views.time(s.expiresAt()));
    long maxAge = Math.max(0, s.expiresAt().getEpochSecond() - settings.clock.instant().getEpochSecond());
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Set-Cookie", Sessions.COOKIE + "=" + opened.getKey() + "; Path=/; Max-Age=" + maxAge
        + "; HttpOnly; SameSite=Strict" + (settings.secureCookies ? "; Secure" : ""));
    send(x, 201, o, h);
  }

  private Caller authenticate(Exchange x) {
    String auth = x.header("Authorization");
    if (auth != null) {
      String token = bearer(x);
      if (token == null) {
        throw unauthorized("the Authorization header must be 'Bearer <token>'");
      }
      AgentIdentity id = authenticator.authenticate(token)
          .orElseThrow(() -> unauthorized("the bearer token is not valid"));
      return new Caller(id.agentId(), id.expiresAt(), null);
    }
    Sessions.Session s = sessions.find(cookie(x))
        .orElseThrow(() -> unauthorized("sign in first (no valid session and no bearer token)"));
    return new Caller(s.agentId(), s.expiresAt(), s);
  }

  private void checkUnsafe(Exchange x, String method, Caller caller) {
    if (method.equals("GET") || method.equals("HEAD")) {
      return;
    }
    checkOrigin(x);
    if (caller.session() != null) {
      checkCsrf(x, caller.session());
    }
  }

  private static void checkCsrf(Exchange x, Sessions.Session s) {
    String sent = x.header("X-CSRF-Token");
    if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
        s.csrfToken().getBytes(StandardCharsets.UTF_8))) {
      throw new Problem(403, "csrf", "X-CSRF-Token",
          "X-CSRF-Token: missing or not this session's token (requests that change something need it)", 0);
    }
  }

  /** A browser's cross-site request carries an Origin that is neither this host nor an allowed origin. */
  private void checkOrigin(Exchange x) {
    String origin = x.header("Origin");
    if (origin == null) {
      return;
    }
    if (settings.allowedOrigins.contains(origin)) {
      return;
    }
    String host = x.header("Host");
    try {
      URI o = URI.create(origin);
      String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
      if (host != null && authority != null && authority.equalsIgnoreCase(host)) {
        return;
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal
    }
    throw new Problem(403, "origin", "Origin", "Origin: cross-origin requests are not allowed from "
        + abbreviate(origin), 0);
  }

  private static String bearer(Exchange x) {
    String auth = x.header("Authorization");
    if (auth == null || auth.length() < 8 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = auth.substring(7).strip();
    return t.isEmpty() ? null : t;
  }

  private static String cookie(Exchange x) {
    String all = x.cookies();
    if (all == null) {
      return null;
    }
    for (String part : all.split(";")) {
      String p = part.strip();
      if (p.startsWith(Sessions.COOKIE + "=")) {
        return p.substring(Sessions.COOKIE.length() + 1);
      }
    }
    return null;
  }

  private static Problem unauthorized(String detail) {
    return new Problem(401, "unauthenticated", detail);
  }

  private boolean allowed(String agentId, BusinessNumber n) {
    return settings.numberAccess.allows(agentId, n, service.monitor().agent(agentId).orElse(null));
  }

  private Conversation own(String me, String id) {
    Conversation c = service.conversation(id).orElseThrow(Problem::notYours);
    if (!(c.target() instanceof RouteTarget.Agent a) || !a.agentId().equals(me)) {
      log.info("agent {} asked for conversation {}, which is not theirs", me, id);
      throw Problem.notYours();
    }
    return c;
  }

  // ------------------------------------------------------------------------------------------------ plumbing

  private JsonNode body(Exchange x) throws IOException {
    String type = x.header("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new Problem(415, "unsupported_media_type", "Content-Type",
          "Content-Type: send application/json", 0);
    }
    String length = x.header("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.strip()) > settings.maxRequestBytes) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw Problem.badRequest("Content-Length", "is not a number");
      }
    }
    byte[] bytes;
    try (InputStream in = x.body()) {
      bytes = in.readNBytes(settings.maxRequestBytes + 1);
    }
    if (bytes.length > settings.maxRequestBytes) {
      throw tooLarge();
    }
    try {
      JsonNode n = JSON.readTree(bytes);
      if (n == null || !n.isObject()) {
        throw Problem.badRequest("body", "must be a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw Problem.badRequest("body", "is not valid JSON");
    }
  }

  private Problem tooLarge() {
    return new Problem(413, "too_large", "body", "body: larger than " + settings.maxRequestBytes + " bytes", 0);
  }

  private static String text(JsonNode body, String field, int max) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      throw Problem.badRequest(field, "is required");
    }
    if (!v.isTextual()) {
      throw Problem.badRequest(field, "must be a string");
    }
    String s = v.asText();
    if (s.isBlank()) {
      throw Problem.badRequest(field, "is blank");
    }
    if (s.length() > max) {
      throw Problem.badRequest(field, "is longer than " + max + " characters");
    }
    return s;
  }

  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause()
          : e.getCause();
      if (cause instanceof SmsException s) {
        throw s;
      }
      throw new IllegalStateException(cause == null ? "failed" : cause.getClass().getName());
    } catch (TimeoutException e) {
      throw new Problem(504, "timeout", "the send did not complete in 30 s; its outcome is unknown");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Problem(503, "interrupted", "interrupted");
    }
  }

  private static void requireMethod(String method, String expected) {
    if (!method.equals(expected)) {
      throw new Problem(405, "method_not_allowed", "use " + expected);
    }
  }

  private static void json(Exchange x, int status, JsonNode body) throws IOException {
    send(x, status, body, new LinkedHashMap<>());
  }

  private static void send(Exchange x, int status, JsonNode body, Map<String, String> headers) throws IOException {
    headers.put("Content-Type", "application/json");
    headers.put("Cache-Control", "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    x.respond(status, headers, JSON.writeValueAsBytes(body));
  }

  private static void noContent(Exchange x) throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Cache-Control", "no-store");
    x.respond(204, h, new byte[0]);
  }

  private static void problem(Exchange x, Problem p) throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "application/problem+json");
    h.put("Cache-Control", "no-store");
    h.put("X-Content-Type-Options", "nosniff");
    if (p.status == 401) {
      h.put("WWW-Authenticate", "Bearer realm=\"sms-console\"");
    }
    if (p.retryAfterSeconds > 0) {
      h.put("Retry-After", Long.toString(p.retryAfterSeconds));
    }
    if (p.status == 405) {
      h.put("Allow", p.getMessage().substring(4));
    }
    if (x.header("Content-Length") != null || x.header("Transfer-Encoding") != null) {
      // A refused request's body may be unread (a 401 before the body, a 413 past the cap): close the connection
      // rather than drain what the refusal was about.
      h.put("Connection", "close");
    }
    x.respond(p.status, h, JSON.writeValueAsBytes(p.json()));
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
