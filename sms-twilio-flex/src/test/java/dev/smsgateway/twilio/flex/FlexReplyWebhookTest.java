package dev.smsgateway.twilio.flex;

import static dev.smsgateway.twilio.flex.FlexFixtures.BUSINESS;
import static dev.smsgateway.twilio.flex.FlexFixtures.CUSTOMER;
import static dev.smsgateway.twilio.flex.FlexFixtures.IS;
import static dev.smsgateway.twilio.flex.FlexFixtures.WORKER;
import static dev.smsgateway.twilio.flex.FlexFixtures.WORKER_SID;
import static dev.smsgateway.twilio.flex.FlexFixtures.WS;
import static dev.smsgateway.twilio.flex.FlexFixtures.WW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.http.TwilioRestClient;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.test.MutableClock;
import dev.smsgateway.twilio.SingleAttemptHttpClient;
import dev.smsgateway.twilio.WebhookResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reply path: a customer answering after the agent's conversation closed opens a new conversation, whose signed
 * {@code onConversationAdded} reaches {@link FlexConversationsWebhook}; the interaction it creates is checked by Prism.
 */
class FlexReplyWebhookTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String URL = "https://flex.example.com/twilio/conversations";
  private static final String TEXT = "Your order shipped; any questions?";

  private final MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");
  private final InMemoryOriginatorStore originators = new InMemoryOriginatorStore(clock);
  private TwilioMocks.Recording http;

  @BeforeEach
  void mocks() throws Exception {
    http = TwilioMocks.get().recording();
  }

  private FlexDelivery delivery(FlexDelivery.WorkerAvailability availability) {
    FlexDelivery.Builder b = FlexDelivery.builder().client(TwilioMocks.client(http)).mapping(FlexFixtures.mapping())
        .originators(originators).clock(clock);
    return (availability == null ? b : b.workerAvailability(availability)).build();
  }

  private FlexConversationsWebhook webhook(FlexDelivery d) {
    return FlexConversationsWebhook.builder().delivery(d).authTokens(List.of(TwilioMocks.TOKEN))
        .accountSid(TwilioMocks.ACCOUNT).clock(clock).build();
  }

  private ConversationsStandIn standIn(FlexConversationsWebhook webhook) {
    return new ConversationsStandIn(TwilioMocks.ACCOUNT, IS, TwilioMocks.TOKEN, URL, clock,
        r -> webhook.handle("POST", URL, r.headers(), r.body()));
  }

  /** The agent's conversation, started and then closed. */
  private FlexOutbound startedAndClosed(FlexDelivery d, ConversationsStandIn twilio) {
    FlexOutbound out = d.startOutbound(WORKER, BUSINESS, CUSTOMER, TEXT, "k1");
    twilio.opened(out.conversationSid(), CUSTOMER, BUSINESS);
    twilio.close(out.conversationSid());
    return out;
  }

  private List<TwilioMocks.Exchange> interactions() {
    return http.exchanges().stream().filter(e -> e.url().equals("https://flex-api.twilio.com/v1/Interactions")).toList();
  }

  @Test
  void whileTheConversationIsActiveTheReplyLandsInItAndNothingIsRouted() {
    FlexDelivery d = delivery(w -> true);
    ConversationsStandIn twilio = standIn(webhook(d));
    FlexOutbound out = d.startOutbound(WORKER, BUSINESS, CUSTOMER, TEXT, "k1");
    twilio.opened(out.conversationSid(), CUSTOMER, BUSINESS);

    ConversationsStandIn.Received r = twilio.customerSends(CUSTOMER, BUSINESS, "Yes, where is it?");
    assertThat(r.created()).isFalse();
    assertThat(r.conversationSid()).isEqualTo(out.conversationSid());
    assertThat(twilio.conversation(out.conversationSid()).orElseThrow().messages).containsExactly("Yes, where is it?");
    assertThat(interactions()).hasSize(1); // the outbound one only
  }

  @Test
  void afterItClosedAReplyGoesToTheOriginatingWorkerWithTheWhisperAndTheHistory() throws Exception {
    FlexDelivery d = delivery(w -> w.equals(WORKER_SID));
    ConversationsStandIn twilio = standIn(webhook(d));
    FlexOutbound out = startedAndClosed(d, twilio);

    ConversationsStandIn.Received r = twilio.customerSends(CUSTOMER, BUSINESS, "Yes, where is it?");
    assertThat(r.created()).isTrue();
    assertThat(r.webhook().status()).as(r.webhook().body()).isEqualTo(200);
    assertThat(r.webhook().body()).isEqualTo("routed to the originating worker");

    assertThat(http.exchanges()).allSatisfy(e -> assertThat(e.passed()).as(e.toString()).isTrue());
    List<TwilioMocks.Exchange> created = interactions();
    assertThat(created).hasSize(2);
    TwilioMocks.Exchange reply = created.get(1);
    JsonNode channel = JSON.readTree(reply.param("Channel"));
    assertThat(channel.path("initiated_by").asText()).isEqualTo("customer");
    assertThat(channel.path("properties").path("media_channel_sid").asText()).isEqualTo(r.conversationSid());
    JsonNode properties = JSON.readTree(reply.param("Routing")).path("properties");
    assertThat(properties.path("workspace_sid").asText()).isEqualTo(WS);
    assertThat(properties.path("workflow_sid").asText()).isEqualTo(WW);
    assertThat(properties.path("worker_sid").asText()).isEqualTo(WORKER_SID);
    JsonNode attributes = properties.path("attributes");
    assertThat(attributes.path("targetWorkerSid").asText()).isEqualTo(WORKER_SID);
    assertThat(attributes.path("whisper").asText()).isEqualTo(TEXT);
    assertThat(attributes.path("customerHistory")).extracting(JsonNode::asText).containsExactly(out.conversationSid());
    assertThat(d.history().conversations(CUSTOMER)).containsExactly(out.conversationSid(), r.conversationSid());
  }

  @Test
  void anExpiredRecordSendsTheReplyToTheMappingsWorkflow() throws Exception {
    FlexDelivery d = delivery(w -> true);
    ConversationsStandIn twilio = standIn(webhook(d));
    startedAndClosed(d, twilio);
    clock.advance(Duration.ofHours(25)); // the mapping's originator TTL is 24 hours

    ConversationsStandIn.Received r = twilio.customerSends(CUSTOMER, BUSINESS, "Hello again");
    assertThat(r.webhook().body()).isEqualTo("routed to the workflow");
    JsonNode properties = JSON.readTree(interactions().get(1).param("Routing")).path("properties");
    assertThat(properties.path("workflow_sid").asText()).isEqualTo(WW);
    assertThat(properties.has("worker_sid")).isFalse();
    assertThat(properties.path("attributes").has("targetWorkerSid")).isFalse();
    assertThat(properties.path("attributes").has("whisper")).isFalse();
  }

  @Test
  void anUnavailableWorkerPerTaskRouterSendsTheReplyToTheWorkflowWithTheWhisper() throws Exception {
    FlexDelivery d = delivery(null); // TaskRouter's worker "available" (the description's example says false)
    ConversationsStandIn twilio = standIn(webhook(d));
    startedAndClosed(d, twilio);

    ConversationsStandIn.Received r = twilio.customerSends(CUSTOMER, BUSINESS, "Hello?");
    assertThat(r.webhook().body()).isEqualTo("routed to the workflow");
    assertThat(http.exchanges()).allSatisfy(e -> assertThat(e.passed()).as(e.toString()).isTrue());
    assertThat(http.exchanges()).anySatisfy(e -> assertThat(e.method() + " " + e.url())
        .isEqualTo("GET https://taskrouter.twilio.com/v1/Workspaces/" + WS + "/Workers/" + WORKER_SID));
    JsonNode properties = JSON.readTree(interactions().get(1).param("Routing")).path("properties");
    assertThat(properties.has("worker_sid")).isFalse();
    assertThat(properties.path("attributes").path("whisper").asText()).isEqualTo(TEXT);
    assertThat(properties.path("attributes").path("originatingWorkerSid").asText()).isEqualTo(WORKER_SID);
  }

  @Test
  void aReplayedRequestIsAnsweredWithoutASecondInteraction() {
    FlexDelivery d = delivery(w -> true);
    FlexConversationsWebhook hook = webhook(d);
    ConversationsStandIn twilio = standIn(hook);
    startedAndClosed(d, twilio);
    ConversationsStandIn.Received r = twilio.customerSends(CUSTOMER, BUSINESS, "Hi");
    assertThat(r.webhook().status()).isEqualTo(200);

    WebhookResponse again = hook.handle("POST", URL, r.headers(), r.body());
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).isEqualTo("duplicate");
    assertThat(interactions()).hasSize(2);
  }

  @Test
  void aTamperedOrUnsignedRequestIsRefusedAndRoutesNothing() {
    FlexDelivery d = delivery(w -> true);
    FlexConversationsWebhook hook = webhook(d);
    // the stand-in's own delivery goes nowhere; the test delivers the captured request below
    ConversationsStandIn twilio = new ConversationsStandIn(TwilioMocks.ACCOUNT, IS, TwilioMocks.TOKEN, URL, clock,
        captured -> new WebhookResponse(204, Map.of(), ""));
    startedAndClosed(d, twilio);
    ConversationsStandIn.Received r = twilio.customerSends(CUSTOMER, BUSINESS, "Hi");

    byte[] tampered = new String(r.body(), StandardCharsets.UTF_8).replace("%2B14155550123", "%2B14155550124")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(tampered).isNotEqualTo(r.body());
    assertThat(hook.handle("POST", URL, r.headers(), tampered).status()).isEqualTo(403);
    Map<String, List<String>> unsigned = new HashMap<>(r.headers());
    unsigned.remove("X-Twilio-Signature");
    assertThat(hook.handle("POST", URL, unsigned, r.body()).status()).isEqualTo(403);
    assertThat(hook.handle("POST", URL.replace("flex.", "other."), r.headers(), r.body()).status()).isEqualTo(403);
    assertThat(hook.handle("GET", URL, r.headers(), r.body()).status()).isEqualTo(405);
    Map<String, List<String>> json = new HashMap<>(r.headers());
    json.put("Content-Type", List.of("application/json"));
    assertThat(hook.handle("POST", URL, json, r.body()).status()).isEqualTo(415);
    assertThat(interactions()).hasSize(1);

    // the genuine request still routes: nothing above was remembered as done
    assertThat(hook.handle("POST", URL, r.headers(), r.body()).status()).isEqualTo(200);
    assertThat(interactions()).hasSize(2);
  }

  @Test
  void whenTwilioCannotBeReachedTheWebhookAnswers503AndTheRetryIsRoutedAgain() {
    // a client for another region: its hosts (flex-api.dublin.ie1.twilio.com) have no mock, so every request fails
    TwilioRestClient unreachable = new TwilioRestClient.Builder(TwilioMocks.ACCOUNT, TwilioMocks.TOKEN)
        .region("ie1").httpClient(SingleAttemptHttpClient.wrap(http)).build();
    FlexDelivery d = FlexDelivery.builder().client(unreachable).mapping(FlexFixtures.mapping())
        .originators(originators).clock(clock).workerAvailability(w -> true).build();
    FlexConversationsWebhook hook = webhook(d);
    ConversationsStandIn twilio = standIn(hook);
    ConversationsStandIn.Received r = twilio.customerSends(CUSTOMER, BUSINESS, "Hi");
    assertThat(r.webhook().status()).isEqualTo(503);
    assertThat(hook.handle("POST", URL, r.headers(), r.body()).status()).isEqualTo(503); // not "duplicate"
  }

  private WebhookResponse signed(FlexConversationsWebhook hook, List<Map.Entry<String, String>> params) {
    String body = ConversationsStandIn.form(params);
    String signature = dev.smsgateway.twilio.TwilioWebhookSignature.of(List.of(TwilioMocks.TOKEN)).sign(URL, params);
    return hook.handle("POST", URL, Map.of("Content-Type", List.of("application/x-www-form-urlencoded"),
        "X-Twilio-Signature", List.of(signature)), body.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Map.Entry<String, String>> event(String service, String type, String conversation) {
    return List.of(Map.entry("AccountSid", TwilioMocks.ACCOUNT), Map.entry("ChatServiceSid", service),
        Map.entry("EventType", type), Map.entry("ConversationSid", conversation),
        Map.entry("MessagingBinding.Address", CUSTOMER.e164()),
        Map.entry("MessagingBinding.ProxyAddress", BUSINESS.address()));
  }

  @Test
  void eventsOfAnotherServiceOrKindAndOurOwnConversationsRouteNothing() {
    FlexDelivery d = delivery(w -> true);
    FlexConversationsWebhook hook = webhook(d);
    String other = "CH" + "7".repeat(32);
    WebhookResponse foreign = signed(hook, event("IS" + "9".repeat(32), "onConversationAdded", other));
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(signed(hook, event(IS, "onMessageAdded", other)).body()).startsWith("ignored");
    FlexOutbound out = d.startOutbound(WORKER, BUSINESS, CUSTOMER, TEXT, "k1");
    assertThat(signed(hook, event(IS, "onConversationAdded", out.conversationSid())).body())
        .isEqualTo("ignored: a conversation this delivery started");
    assertThat(signed(hook, List.of(Map.entry("AccountSid", TwilioMocks.ACCOUNT), Map.entry("ChatServiceSid", IS),
        Map.entry("EventType", "onConversationAdded"), Map.entry("ConversationSid", other))).body())
        .isEqualTo("ignored: no SMS binding");
    assertThat(signed(hook, event(IS, "onConversationAdded", "CH123")).status()).isEqualTo(400);
    assertThat(interactions()).hasSize(1); // the outbound one only
  }
}
