package dev.smsgateway.console;

import com.sun.net.httpserver.HttpHandler;
import dev.smsgateway.routing.ConversationService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The agent console: an HTTP API over a {@link ConversationService} (JSON, described by {@code openapi.yaml}, served
 * at {@code /api/openapi.yaml}), a Server-Sent Events stream of each agent's events ({@code /api/events}) and a static
 * web page ({@code /}) that uses them.
 *
 * <pre>{@code
 * SmsConsole console = SmsConsole.builder()
 *     .conversationService(conversations)
 *     .authenticator(JwtAuthenticator.builder().jwksUri(jwks).issuer(iss).audience(clientId).build())
 *     .build();
 * try (ConsoleServer server = console.start(new InetSocketAddress("127.0.0.1", 8081))) {
 *   ...                                          // or mount console.httpHandler() / new ConsoleServlet(console)
 * }
 * }</pre>
 *
 * <p><b>Security.</b> Every {@code /api/} call but the OpenAPI file is authenticated: a bearer token
 * ({@link AgentAuthenticator}) or the session cookie that {@code POST /api/session} sets (HttpOnly, SameSite=Strict).
 * A cookie-authenticated request that changes something must carry the session's {@code X-CSRF-Token}, and any
 * request that changes something from a browser must come from this origin (or one of
 * {@link Builder#allowedOrigins}). Agents act only on conversations assigned to them; any other id answers 404.
 * Each agent has a request budget ({@link Builder#rateLimit}); bodies are capped ({@link Builder#maxRequestBytes}).
 * Logs carry agent and conversation ids, never tokens, message texts or whole phone numbers.
 *
 * <p>Building registers a listener with the conversation service (the event stream's source); {@link #close()} ends
 * open streams. Thread-safe.
 */
public final class SmsConsole implements AutoCloseable {

  private final ConsoleApi api;
  private final EventHub hub;

  private SmsConsole(Builder b) {
    this.hub = new EventHub(b.service, b.eventBuffer);
    this.api = new ConsoleApi(b, hub);
    b.service.addListener(hub);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A handler for the JDK's {@code HttpServer}, to mount at a context path of your own server. */
  public HttpHandler httpHandler() {
    return new ConsoleHttpHandler(this);
  }

  /**
   * Starts a JDK {@code HttpServer} on {@code address} serving the console at {@code /}, with a thread per request
   * (event streams hold theirs while open).
   */
  public ConsoleServer start(InetSocketAddress address) throws IOException {
    return ConsoleServer.start(this, address);
  }

  /** How many event streams are open now. */
  public int openStreams() {
    return hub.subscribers();
  }

  ConsoleApi api() {
    return api;
  }

  /** Ends open event streams (within one heartbeat) and refuses nothing else: stop the server to stop requests. */
  @Override
  public void close() {
    api.close();
  }

  @Override
  public String toString() {
    return "SmsConsole{streams=" + hub.subscribers() + "}";
  }

  /** Builds an {@link SmsConsole}. Not thread-safe. */
  public static final class Builder {
    ConversationService service;
    AgentAuthenticator authenticator;
    Clock clock = Clock.systemUTC();
    double requestsPerSecond = 10;
    int burst = 30;
    int maxRequestBytes = 16 * 1024;
    int maxTextLength = 1600;
    Duration sessionLifetime = Duration.ofHours(8);
    int maxSessions = 10_000;
    boolean secureCookies = true;
    Set<String> allowedOrigins = Set.of();
    NumberAccess numberAccess = NumberAccess.QUEUE_MEMBERS;
    int maxStreamsPerAgent = 5;
    int eventBuffer = 1000;
    Duration heartbeat = Duration.ofSeconds(15);

    private Builder() {}

    /** The conversations the console works on. Required. */
    public Builder conversationService(ConversationService service) {
      this.service = Objects.requireNonNull(service, "conversationService == null");
      return this;
    }

    /** Who may sign in. Required. */
    public Builder authenticator(AgentAuthenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator == null");
      return this;
    }

    /** The clock of sessions, rate limits and token expiry; default the system's. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Requests per second per agent, and the burst above it; default 10 a second, bursts of 30. */
    public Builder rateLimit(double perSecond, int burst) {
      if (!(perSecond > 0) || perSecond > 10_000 || burst < 1 || burst > 100_000) {
        throw new IllegalArgumentException("rateLimit: perSecond must be in (0, 10000] and burst 1-100000: "
            + perSecond + ", " + burst);
      }
      this.requestsPerSecond = perSecond;
      this.burst = burst;
      return this;
    }

    /** The largest request body accepted (413 above); default 16 KiB, 1 KiB to 1 MiB. */
    public Builder maxRequestBytes(int bytes) {
      if (bytes < 1024 || bytes > 1024 * 1024) {
        throw new IllegalArgumentException("maxRequestBytes must be 1024-1048576: " + bytes);
      }
      this.maxRequestBytes = bytes;
      return this;
    }

    /** The longest message text accepted, in characters; default 1600 (10 concatenated GSM parts), at most 10,000. */
    public Builder maxTextLength(int chars) {
      if (chars < 1 || chars > 10_000) {
        throw new IllegalArgumentException("maxTextLength must be 1-10000: " + chars);
      }
      this.maxTextLength = chars;
      return this;
    }

    /** How long a browser session lasts at most (never past the token's expiry); default 8 hours. */
    public Builder sessionLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "sessionLifetime == null");
      if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(Duration.ofDays(7)) > 0) {
        throw new IllegalArgumentException("sessionLifetime must be positive and at most 7 days: " + lifetime);
      }
      this.sessionLifetime = lifetime;
      return this;
    }

    /**
     * Whether the session cookie is marked {@code Secure} (sent over HTTPS only); default true. Browsers treat
     * {@code http://localhost} and {@code http://127.0.0.1} as secure, so local development works either way.
     */
    public Builder secureCookies(boolean secure) {
      this.secureCookies = secure;
      return this;
    }

    /**
     * Origins (scheme://host[:port]) besides the console's own from which browsers may send requests that change
     * something, for a console page served elsewhere; default none.
     */
    public Builder allowedOrigins(Set<String> origins) {
      this.allowedOrigins = Set.copyOf(Objects.requireNonNull(origins, "allowedOrigins == null"));
      return this;
    }

    /** Which business numbers an agent may use; default {@link NumberAccess#QUEUE_MEMBERS}. */
    public Builder numberAccess(NumberAccess access) {
      this.numberAccess = Objects.requireNonNull(access, "numberAccess == null");
      return this;
    }

    /** How many event streams one agent may hold open (tabs); default 5. */
    public Builder maxStreamsPerAgent(int streams) {
      if (streams < 1 || streams > 100) {
        throw new IllegalArgumentException("maxStreamsPerAgent must be 1-100: " + streams);
      }
      this.maxStreamsPerAgent = streams;
      return this;
    }

    /** How many events a stream buffers for a slow client before it is cut (the page reconnects); default 1000. */
    public Builder eventBuffer(int events) {
      if (events < 10 || events > 100_000) {
        throw new IllegalArgumentException("eventBuffer must be 10-100000: " + events);
      }
      this.eventBuffer = events;
      return this;
    }

    /** How often an idle stream sends a comment line, so proxies keep it open; default 15 s. */
    public Builder heartbeat(Duration every) {
      Objects.requireNonNull(every, "heartbeat == null");
      if (every.toMillis() < 100 || every.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("heartbeat must be 100 ms to 5 minutes: " + every);
      }
      this.heartbeat = every;
      return this;
    }

    /** The console; registers its event listener with the conversation service. */
    public SmsConsole build() {
      if (service == null) {
        throw new IllegalStateException("conversationService is required");
      }
      if (authenticator == null) {
        throw new IllegalStateException("authenticator is required (StaticTokenAuthenticator for development)");
      }
      return new SmsConsole(this);
    }
  }
}
