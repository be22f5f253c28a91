package dev.smsgateway.examples;

import com.sun.net.httpserver.HttpExchange;
import com.twilio.http.NetworkHttpClient;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.internal.Redaction;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.OutboundConversation;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.twilio.SingleAttemptHttpClient;
import dev.smsgateway.twilio.TwilioSmsProvider;
import dev.smsgateway.twilio.TwilioWebhookUrls;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.core5.http.HttpHost;

/**
 * Example {@code twilio-webhook}: a {@link TwilioSmsProvider} sending through twilio-java, its webhook handler on the
 * JDK {@code HttpServer} (signature validation included), an {@link SmsGateway} and the routing engine. An agent texts
 * a customer; the customer's reply, arriving as a signed webhook, comes back to that agent.
 *
 * <p>{@code --loopback}: also starts a stand-in for Twilio on 127.0.0.1. It answers twilio-java's real create-message
 * request, then plays Twilio calling the webhooks: signed status callbacks, the customer's signed reply, a new
 * customer, and one request with a forged signature (refused with 403). Exits 0 when every step behaved as expected.
 *
 * <p>Without {@code --loopback} it runs against a real account from environment variables ({@code TWILIO_ACCOUNT_SID},
 * {@code TWILIO_AUTH_TOKEN}, {@code TWILIO_FROM}, {@code PUBLIC_BASE_URL}, optional {@code PORT}) until stopped;
 * {@code --to NUMBER} makes agent alice text that number first. See {@code docs/examples.md}.
 *
 * <p>Not thread-safe (a program).
 */
final class TwilioWebhookExample implements ProviderExampleCli.Modes {

  static final String BUSINESS = "+14155550100";
  static final String DANA = "+14155550123";
  static final String SAM = "+14155550142";
  private static final String MAPPING = "support";

  private final Clock clock = Clock.systemUTC();
  private final Transcript transcript;

  private TwilioWebhookExample(PrintStream out) {
    this.transcript = new Transcript(out, clock);
  }

  /** Runs the example; returns the process exit code. */
  static int run(String[] args, PrintStream out) {
    return ProviderExampleCli.run("twilio-webhook", args, out, TwilioWebhookExample::new);
  }


  static RoutingConfiguration configuration(String businessNumber) {
    return RoutingConfiguration.builder()
        .addMapping(Mapping.builder(MAPPING)
            .description("ACME support on Twilio")
            .provider("twilio")
            .defaultCountry("US")
            .addNumber(n -> n.number(businessNumber).displayName("ACME Support").queue("support")))
        .build();
  }

  private InMemoryWiring wire(TwilioSmsProvider provider, String businessNumber) {
    return InMemoryWiring.of(provider, configuration(businessNumber), clock, transcript);
  }

  // ------------------------------------------------------------------------------------------------ loopback

  @Override
  public int loopback() throws Exception {
    long started = System.nanoTime();
    transcript.title("sms-gateway example twilio-webhook (--loopback): Twilio REST and webhooks on 127.0.0.1");
    SecureRandom random = new SecureRandom();
    // Made up at start-up: the stand-in accepts exactly these, and signs its webhooks with this token.
    String accountSid = "AC" + hex(random, 16);
    String authToken = hex(random, 16);

    try (TwilioStandIn twilio = new TwilioStandIn(accountSid);
        Loopback.Server web = new Loopback.Server("twilio-webhooks")) {
      URI publicBase = web.base();
      TwilioSmsProvider provider = TwilioSmsProvider.builder()
          .accountSid(accountSid)
          .authToken(authToken)
          .from(Originator.longCode(PhoneNumber.of(BUSINESS)))
          .publicBaseUrl(publicBase)
          .httpClient(twilio.client())
          .threads(2)
          .clock(clock)
          .build();
      web.handle("/twilio/", provider.httpServerHandler()).start();
      URI inboundUrl = TwilioWebhookUrls.inbound(publicBase, MAPPING);
      transcript.say("Twilio stand-in on " + twilio.server.base() + " (twilio-java is routed there); webhook server on "
          + publicBase);
      transcript.say("webhook URLs: inbound " + inboundUrl + ", status " + TwilioWebhookUrls.status(publicBase));

      InMemoryWiring w = wire(provider, BUSINESS);
      try (SmsGateway gateway = w.gateway()) {
        gateway.start();
        ConversationService conversations = w.conversations();

        transcript.step("1. Agent alice texts Dana; twilio-java creates the message");
        OutboundConversation conversation = conversations.startOutbound("alice", BUSINESS, DANA,
            "Hi Dana, this is Alice from ACME. Your replacement router ships today. Any questions?", "twilio-example-1")
            .get(10, TimeUnit.SECONDS);
        Map<String, String> create = twilio.creates.poll(Transcript.STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!transcript.check("twilio-java's create request reached the stand-in", create != null,
            create != null ? "POST /2010-04-01/Accounts/AC.../Messages.json" : "nothing within 10 s")) {
          return transcript.finish(started);
        }
        transcript.say("TWILIO POST Messages.json To=" + PhoneNumbers.mask(create.get("To")) + " From="
            + PhoneNumbers.mask(create.get("From")) + " Body=\"" + Transcript.abbreviate(create.get("Body"))
            + "\" StatusCallback=" + create.get("StatusCallback"));
        transcript.check("create carries To, Body and our StatusCallback", DANA.equals(create.get("To"))
            && create.get("Body").startsWith("Hi Dana") && create.getOrDefault("StatusCallback", "")
            .contains("messageId=" + conversation.messageId()), "To, Body, StatusCallback as sent");
        String sid = create.get("_sid");

        transcript.step("2. Twilio reports the message sent, then delivered (signed status callbacks)");
        URI statusUrl = URI.create(create.get("StatusCallback"));
        for (String status : List.of("sent", "delivered")) {
          int code = twilio.callWebhook(statusUrl, authToken, Map.of("MessageSid", sid, "SmsSid", sid,
              "MessageStatus", status, "SmsStatus", status, "AccountSid", accountSid, "From", BUSINESS, "To", DANA,
              "ApiVersion", "2010-04-01"));
          transcript.say("TWILIO POST " + statusUrl.getPath() + " MessageStatus=" + status + " -> HTTP " + code);
        }
        boolean delivered = transcript.await(e -> e.kind() == Transcript.Kind.DLR
            && e.conversationId().equals(conversation.messageId()) && e.detail().equals("DELIVERED")).isPresent();
        transcript.check("status callback -> DELIVERED", delivered, delivered ? "DELIVERED" : "no report");

        transcript.step("3. Dana replies; Twilio posts the signed inbound webhook");
        int code = twilio.callWebhook(inboundUrl, authToken, inbound(accountSid, DANA, "Thanks Alice! Does it need a new "
            + "password?"));
        transcript.say("TWILIO POST " + inboundUrl.getPath() + " From=" + PhoneNumbers.mask(DANA) + " -> HTTP " + code);
        transcript.check("signed inbound webhook answered 200", code == 200, "HTTP " + code);
        var reply = transcript.await(e -> e.kind() == Transcript.Kind.MESSAGE && e.customer().equals(DANA));
        transcript.check("Dana's reply -> alice", reply.isPresent() && "alice".equals(reply.get().agent()),
            reply.map(e -> "went to " + e.agent()).orElse("not routed"));

        transcript.step("4. A request with a forged signature is refused");
        int forged = twilio.callWebhook(inboundUrl, "not-the-auth-token", inbound(accountSid, DANA,
            "Please send the refund to this other account"));
        transcript.say("FORGED POST " + inboundUrl.getPath() + " -> HTTP " + forged);
        transcript.check("forged signature -> 403", forged == 403, "HTTP " + forged);

        transcript.step("5. A new customer texts in and is assigned from the queue");
        int samCode = twilio.callWebhook(inboundUrl, authToken, inbound(accountSid, SAM, "Hi, are you open on Sunday?"));
        transcript.say("TWILIO POST " + inboundUrl.getPath() + " From=" + PhoneNumbers.mask(SAM) + " -> HTTP " + samCode);
        var assigned = transcript.await(e -> e.kind() == Transcript.Kind.ASSIGNED && e.customer().equals(SAM));
        transcript.check("new customer queued then assigned", assigned.isPresent(),
            assigned.map(e -> "assigned to " + e.agent()).orElse("not assigned"));

        long forgedRouted = transcript.events().stream().filter(e -> e.kind() == Transcript.Kind.MESSAGE
            && e.detail().contains("other account")).count();
        transcript.check("the forged message never reached an agent", forgedRouted == 0, forgedRouted + " routed");
        transcript.say("Twilio stand-in received " + twilio.requests.get() + " REST request(s)");
      }
      return transcript.finish(started);
    }
  }

  private static Map<String, String> inbound(String accountSid, String from, String body) {
    String sid = "SM" + hex(new SecureRandom(), 16);
    return Map.of("MessageSid", sid, "SmsMessageSid", sid, "AccountSid", accountSid, "From", from, "To", BUSINESS,
        "Body", body, "NumSegments", "1", "NumMedia", "0", "FromCountry", "US", "ToCountry", "US");
  }

  static String hex(SecureRandom random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /**
   * Stands in for api.twilio.com: answers twilio-java's {@code POST /2010-04-01/Accounts/{sid}/Messages.json} as
   * Twilio does (201 with the message resource), and calls webhooks the way Twilio does (form POST with
   * {@code X-Twilio-Signature}).
   */
  private static final class TwilioStandIn implements AutoCloseable {
    final Loopback.Server server;
    final BlockingQueue<Map<String, String>> creates = new LinkedBlockingQueue<>();
    final AtomicInteger requests = new AtomicInteger();
    private final String accountSid;
    private final AtomicInteger sids = new AtomicInteger();

    TwilioStandIn(String accountSid) throws IOException {
      this.accountSid = accountSid;
      this.server = new Loopback.Server("twilio-stand-in").handle("/", this::api).start();
    }

    /**
     * twilio-java's own HTTP client, with every request routed to this server instead of api.twilio.com. Built on the
     * provider's Apache builder, whose connections do not log the Basic auth header or the form at DEBUG.
     */
    NetworkHttpClient client() {
      HttpHost target = new HttpHost("http", "127.0.0.1", server.port());
      return new NetworkHttpClient(SingleAttemptHttpClient.apacheBuilder(5000, 10_000, 4)
          .setRoutePlanner((host, context) -> new HttpRoute(target)));
    }

    private void api(HttpExchange exchange) throws IOException {
      requests.incrementAndGet();
      String path = exchange.getRequestURI().getPath();
      if (!"POST".equals(exchange.getRequestMethod())
          || !path.equals("/2010-04-01/Accounts/" + accountSid + "/Messages.json")) {
        Loopback.respond(exchange, 404, "application/json", "{\"code\":20404,\"message\":\"The requested resource "
            + path + " was not found\",\"status\":404}");
        return;
      }
      Map<String, String> form = new java.util.LinkedHashMap<>(Loopback.form(
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      String sid = String.format("SM%032x", sids.incrementAndGet());
      form.put("_sid", sid);
      String body = "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + accountSid + "\",\"to\":\"" + form.get("To")
          + "\",\"from\":\"" + form.get("From") + "\",\"status\":\"queued\",\"num_segments\":\"1\","
          + "\"num_media\":\"0\",\"direction\":\"outbound-api\",\"api_version\":\"2010-04-01\","
          + "\"price\":null,\"price_unit\":\"USD\",\"error_code\":null,\"error_message\":null,"
          + "\"uri\":\"/2010-04-01/Accounts/" + accountSid + "/Messages/" + sid + ".json\"}";
      Loopback.respond(exchange, 201, "application/json", body);
      creates.add(form);
    }

    /** POSTs {@code params} to {@code url} signed with {@code authToken} as Twilio signs; returns the HTTP status. */
    int callWebhook(URI url, String authToken, Map<String, String> params) throws IOException, InterruptedException {
      String body = params.entrySet().stream()
          .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
              + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
          .collect(Collectors.joining("&"));
      HttpResponse<String> response = Loopback.post(url, "application/x-www-form-urlencoded", body,
          Map.of("X-Twilio-Signature", sign(authToken, url.toString(), params), "I-Twilio-Idempotency-Token",
              params.getOrDefault("MessageSid", "") + "-" + params.getOrDefault("MessageStatus", "inbound")));
      return response.statusCode();
    }

    /** Base64(HMAC-SHA1(auth token, URL + each parameter sorted by name, as name + value)), per Twilio's docs. */
    static String sign(String authToken, String url, Map<String, String> params) {
      StringBuilder data = new StringBuilder(url);
      new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
      try {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      server.close();
    }
  }

  // ------------------------------------------------------------------------------------------------ real account

  @Override
  public int realAccount(Function<String, String> env, String to) throws Exception {
    String accountSid = required(env, "TWILIO_ACCOUNT_SID");
    String authToken = required(env, "TWILIO_AUTH_TOKEN");
    String from = required(env, "TWILIO_FROM");
    URI publicBase = URI.create(required(env, "PUBLIC_BASE_URL"));
    int port = Integer.parseInt(env.apply("PORT") == null ? "8080" : env.apply("PORT"));
    TwilioSmsProvider provider = TwilioSmsProvider.builder()
        .accountSid(accountSid)
        .authToken(authToken)
        .from(Originator.longCode(PhoneNumber.of(from)))
        .publicBaseUrl(publicBase)
        .build();
    InMemoryWiring w = wire(provider, from);
    CountDownLatch stop = new CountDownLatch(1);
    try (Loopback.Server web = new Loopback.Server(new InetSocketAddress(port), "twilio-webhooks");
        SmsGateway gateway = w.gateway()) {
      web.handle("/twilio/", provider.httpServerHandler()).start();
      gateway.start();
      transcript.say("webhook server on port " + port + "; in the Twilio Console set " + PhoneNumbers.mask(from)
          + "'s \"A message comes in\" webhook (HTTP POST) to "
          // PUBLIC_BASE_URL may carry basic-auth credentials (https://user:password@host): not on the console.
          + Redaction.text(TwilioWebhookUrls.inbound(publicBase, MAPPING).toString()));
      if (to != null) {
        OutboundConversation c = w.conversations().startOutbound("alice", from, to,
            "Hello from sms-gateway's twilio-webhook example. Reply to reach agent alice.", null).get(30, TimeUnit.SECONDS);
        transcript.say("alice started conversation " + c.conversationId() + " with " + PhoneNumbers.mask(to));
      }
      transcript.say("waiting for webhooks; Ctrl-C stops");
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return 0;
  }

  static String required(Function<String, String> env, String name) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("set the environment variable " + name + " (see docs/examples.md), or run "
          + "with --loopback");
    }
    return value.strip();
  }
}
