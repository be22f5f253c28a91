package dev.smsgateway.examples;

import com.twilio.http.TwilioRestClient;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.routing.Delivery;
import dev.smsgateway.routing.FlexRouting;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.twilio.SingleAttemptHttpClient;
import dev.smsgateway.twilio.WebhookResponse;
import dev.smsgateway.twilio.flex.FlexConversationsWebhook;
import dev.smsgateway.twilio.flex.FlexDelivery;
import dev.smsgateway.twilio.flex.FlexOutbound;
import dev.smsgateway.twilio.flex.FlexWorker;
import java.io.PrintStream;
import java.net.URI;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Example {@code flex}: an agent-initiated SMS conversation delivered into Twilio Flex with sms-twilio-flex, targeted
 * at the agent who started it, and the customer's reply after the conversation closed routed back to that agent.
 *
 * <p>{@code --loopback}: against {@link FlexStandIn} on 127.0.0.1 (twilio-java's real requests), with the
 * {@link FlexConversationsWebhook} served on the JDK {@code HttpServer}. Exits 0 when every step behaved as expected.
 *
 * <p>Without {@code --loopback}: one outbound conversation on a real account from environment variables
 * ({@code TWILIO_ACCOUNT_SID}, {@code TWILIO_AUTH_TOKEN}, {@code TWILIO_FROM}, {@code FLEX_WORKSPACE_SID},
 * {@code FLEX_WORKFLOW_SID}, {@code FLEX_TASK_CHANNEL} (default {@code sms}), {@code FLEX_CONVERSATION_SERVICE_SID},
 * {@code FLEX_WORKER_SID}, {@code FLEX_WORKER_IDENTITY}) to {@code --to NUMBER}. See {@code docs/sms-twilio-flex.md}.
 *
 * <p>Not thread-safe (a program).
 */
final class FlexExample implements ProviderExampleCli.Modes {

  static final String BUSINESS = "+14155550100";
  static final String DANA = "+14155550123";
  static final String WORKER = "WK" + "a1".repeat(16);
  private static final String WS = "WS" + "0b".repeat(16);
  private static final String WW = "WW" + "0c".repeat(16);
  private static final String IS = "IS" + "0d".repeat(16);

  private final Clock clock = Clock.systemUTC();
  private final Transcript transcript;

  private FlexExample(PrintStream out) {
    this.transcript = new Transcript(out, clock);
  }

  /** Runs the example; returns the process exit code. */
  static int run(String[] args, PrintStream out) {
    return ProviderExampleCli.run("flex", args, out, FlexExample::new);
  }

  static Mapping mapping(String business, FlexRouting flex) {
    return Mapping.builder("support").provider("twilio").defaultCountry("US").delivery(Delivery.FLEX).flex(flex)
        .addNumber(n -> n.number(business).displayName("ACME Support").queue("support")).build();
  }

  @Override
  public int loopback() throws Exception {
    long started = System.nanoTime();
    transcript.title("sms-gateway example flex (--loopback): Twilio Flex Interactions and Conversations on 127.0.0.1");
    SecureRandom random = new SecureRandom();
    String accountSid = "AC" + HexFormat.of().formatHex(random.generateSeed(16));
    String authToken = HexFormat.of().formatHex(random.generateSeed(16));
    try (FlexStandIn twilio = new FlexStandIn(accountSid, authToken, IS);
        Loopback.Server web = new Loopback.Server("flex-webhook")) {
      TwilioRestClient client = new TwilioRestClient.Builder(accountSid, authToken).httpClient(twilio.client()).build();
      Mapping mapping = mapping(BUSINESS, new FlexRouting(WS, WW, "sms", IS));
      InMemoryOriginatorStore originators = new InMemoryOriginatorStore(clock);
      FlexDelivery flex = FlexDelivery.builder().client(client).mapping(mapping).originators(originators).clock(clock)
          .autoAccept(true).build();
      FlexConversationsWebhook hook = FlexConversationsWebhook.builder().delivery(flex).authTokens(List.of(authToken))
          .accountSid(accountSid).clock(clock).build();
      URI url = web.base().resolve("/twilio/conversations");
      web.handle("/twilio/conversations", ex -> {
        byte[] body = ex.getRequestBody().readAllBytes();
        WebhookResponse r = hook.handle(ex.getRequestMethod(), url.toString(), ex.getRequestHeaders(), body);
        Loopback.respond(ex, r.status(), r.headers().get("Content-Type"), r.body());
      }).start();
      twilio.webhook(url);
      twilio.setAvailable(WORKER, true);
      transcript.say("Flex stand-in on " + twilio.server.base() + "; Conversations webhook on " + url);

      transcript.step("1. Agent alice (worker " + WORKER.substring(0, 8) + "...) texts Dana from Flex");
      FlexOutbound out = flex.startOutbound(new FlexWorker(WORKER, "alice", null),
          Originator.longCode(PhoneNumber.of(BUSINESS)), PhoneNumber.of(DANA),
          "Hi Dana, this is Alice from ACME. Your replacement router ships today. Any questions?", "flex-example-1");
      FlexStandIn.Task task = twilio.tasks().get(0);
      transcript.say("INTERACTION " + out.interactionSid() + " conversation " + out.conversationSid() + " task "
          + out.taskSid() + " -> worker alice, reservation " + task.reservationStatus()[0]);
      transcript.check("the task targets alice and she has it", WORKER.equals(task.workerSid())
          && out.reservationAccepted() && "accepted".equals(task.reservationStatus()[0]), "reservation accepted");
      transcript.check("the first message is in the conversation", twilio.conversation(out.conversationSid())
          .messages.size() == 1, "1 message");

      transcript.step("2. Dana answers while the conversation is open: Twilio adds it to the conversation");
      FlexStandIn.Delivered d1 = twilio.customerSends(DANA, BUSINESS, "Great, thanks! What is the tracking number?");
      transcript.say("SMS " + PhoneNumbers.mask(DANA) + " -> conversation " + d1.conversationSid()
          + (d1.webhookStatus() == 0 ? " (no webhook)" : " webhook " + d1.webhookStatus()));
      transcript.check("an open conversation takes the reply", d1.conversationSid().equals(out.conversationSid())
          && d1.webhookStatus() == 0, "same conversation, no webhook");

      transcript.step("3. Alice wraps up; a day later Dana writes again: a new conversation, back to alice");
      twilio.close(out.conversationSid());
      FlexStandIn.Delivered d2 = twilio.customerSends(DANA, BUSINESS, "The router arrived, but the power cord is missing");
      FlexStandIn.Task reply = twilio.tasks().get(twilio.tasks().size() - 1);
      transcript.say("SMS " + PhoneNumbers.mask(DANA) + " -> new conversation " + d2.conversationSid() + "; webhook -> HTTP "
          + d2.webhookStatus() + "; TASK -> " + (reply.workerSid() == null ? "workflow" : "worker alice")
          + ", whisper \"" + Transcript.abbreviate(reply.attributes().path("whisper").asText()) + "\"");
      transcript.check("the reply's task targets alice with the whisper", d2.webhookStatus() == 200
          && WORKER.equals(reply.workerSid()) && reply.attributes().path("whisper").asText().startsWith("Hi Dana")
          && reply.attributes().path("customerHistory").toString().contains(out.conversationSid()),
          "worker alice, whisper, history");

      transcript.step("4. A forged webhook (wrong signature) is refused");
      int forged = FlexStandIn.post(url, List.of(Map.entry("EventType", "onConversationAdded"),
          Map.entry("ConversationSid", "CH" + "ee".repeat(16))), "bm90IGEgc2lnbmF0dXJl");
      transcript.say("FORGED POST /twilio/conversations -> HTTP " + forged);
      transcript.check("forged webhook refused", forged == 403, "HTTP " + forged);
      return transcript.finish(started);
    }
  }

  @Override
  public int realAccount(Function<String, String> env, String to) throws Exception {
    if (to == null) {
      throw new IllegalArgumentException("--to NUMBER is required against a real account");
    }
    String token = required(env, "TWILIO_AUTH_TOKEN");
    TwilioRestClient client = new TwilioRestClient.Builder(required(env, "TWILIO_ACCOUNT_SID"), token)
        .httpClient(SingleAttemptHttpClient.create(5000, 15_000, 4)).build();
    String from = required(env, "TWILIO_FROM");
    String channel = env.apply("FLEX_TASK_CHANNEL");
    Mapping mapping = mapping(from, new FlexRouting(required(env, "FLEX_WORKSPACE_SID"), required(env, "FLEX_WORKFLOW_SID"),
        channel == null ? "sms" : channel, required(env, "FLEX_CONVERSATION_SERVICE_SID")));
    FlexDelivery flex = FlexDelivery.builder().client(client).mapping(mapping)
        .originators(new InMemoryOriginatorStore(clock)).autoAccept(true).build();
    FlexOutbound out = flex.startOutbound(FlexWorker.of(required(env, "FLEX_WORKER_SID"),
        required(env, "FLEX_WORKER_IDENTITY")), mapping.numbers().get(0).number(), PhoneNumber.of(to),
        "Hello from the sms-gateway flex example.", "flex-example-" + System.currentTimeMillis());
    transcript.say("started " + out);
    return 0;
  }

  private static String required(Function<String, String> env, String name) {
    String v = env.apply(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is not set");
    }
    return v;
  }

}
