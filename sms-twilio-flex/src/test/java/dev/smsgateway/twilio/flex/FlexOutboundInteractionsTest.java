package dev.smsgateway.twilio.flex;

import static dev.smsgateway.twilio.flex.FlexFixtures.BUSINESS;
import static dev.smsgateway.twilio.flex.FlexFixtures.CUSTOMER;
import static dev.smsgateway.twilio.flex.FlexFixtures.IS;
import static dev.smsgateway.twilio.flex.FlexFixtures.WORKER;
import static dev.smsgateway.twilio.flex.FlexFixtures.WORKER_SID;
import static dev.smsgateway.twilio.flex.FlexFixtures.WS;
import static dev.smsgateway.twilio.flex.FlexFixtures.WW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.TwilioRestClient;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.test.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FlexDelivery#startOutbound} on the Interactions API, every request checked by Prism against Twilio's own
 * Flex, Conversations and TaskRouter descriptions.
 */
class FlexOutboundInteractionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");
  private final InMemoryOriginatorStore originators = new InMemoryOriginatorStore(clock);
  private TwilioMocks.Recording http;

  @BeforeEach
  void mocks() throws Exception {
    http = TwilioMocks.get().recording();
  }

  private FlexDelivery.Builder delivery() {
    return FlexDelivery.builder().client(TwilioMocks.client(http)).mapping(FlexFixtures.mapping())
        .originators(originators).clock(clock);
  }

  @Test
  void createsTheInteractionSendsTheFirstMessageAndWritesTheOriginatorRecord() throws Exception {
    FlexOutbound out = delivery().autoAccept(true).build()
        .startOutbound(WORKER, BUSINESS, CUSTOMER, "Your order shipped; any questions?", "order-17");

    List<TwilioMocks.Exchange> ex = http.exchanges();
    assertThat(ex).allSatisfy(e -> assertThat(e.passed()).as(e.toString()).isTrue());
    assertThat(ex).extracting(e -> e.method() + " " + e.url().replaceFirst("\\?.*", "")).containsExactly(
        "POST https://flex-api.twilio.com/v1/Interactions",
        "POST https://conversations.twilio.com/v1/Services/" + IS + "/Conversations/" + out.conversationSid()
            + "/Messages",
        "GET https://taskrouter.twilio.com/v1/Workspaces/" + WS + "/Tasks/" + out.taskSid() + "/Reservations",
        "POST https://taskrouter.twilio.com/v1/Workspaces/" + WS + "/Tasks/" + out.taskSid() + "/Reservations/"
            + "WRaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

    JsonNode channel = JSON.readTree(ex.get(0).param("Channel"));
    assertThat(channel.path("type").asText()).isEqualTo("sms");
    assertThat(channel.path("initiated_by").asText()).isEqualTo("agent");
    assertThat(channel.path("participants").get(0).path("address").asText()).isEqualTo(CUSTOMER.e164());
    assertThat(channel.path("participants").get(0).path("proxy_address").asText()).isEqualTo(BUSINESS.address());
    JsonNode properties = JSON.readTree(ex.get(0).param("Routing")).path("properties");
    assertThat(properties.path("workspace_sid").asText()).isEqualTo(WS);
    assertThat(properties.path("workflow_sid").asText()).isEqualTo(WW);
    assertThat(properties.path("task_channel_unique_name").asText()).isEqualTo("sms");
    assertThat(properties.path("worker_sid").asText()).isEqualTo(WORKER_SID);
    JsonNode attributes = properties.path("attributes");
    assertThat(attributes.path("targetWorkerSid").asText()).isEqualTo(WORKER_SID);
    assertThat(attributes.path("targetWorkerPhone").asText()).isEqualTo(FlexFixtures.WORKER_PHONE.e164());
    assertThat(attributes.path("autoAnswer").asBoolean()).isTrue();

    assertThat(ex.get(1).param("Author")).isEqualTo("alice@example.com");
    assertThat(ex.get(1).param("Body")).isEqualTo("Your order shipped; any questions?");
    assertThat(ex.get(2).query("WorkerSid")).isEqualTo(WORKER_SID);
    assertThat(ex.get(2).query("ReservationStatus")).isEqualTo("pending");
    assertThat(ex.get(3).param("ReservationStatus")).isEqualTo("accepted");

    // Prism answers with the descriptions' examples: the SIDs are theirs
    assertThat(out.interactionSid()).isEqualTo("KDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assertThat(out.conversationSid()).isEqualTo("CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assertThat(out.taskSid()).isEqualTo("WTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assertThat(out.messageSid()).startsWith("IM");
    assertThat(out.reservationAccepted()).isTrue();

    OriginatorRecord r = originators.find(CUSTOMER, BUSINESS).orElseThrow();
    assertThat(r.agentId()).isEqualTo(WORKER_SID);
    assertThat(r.outboundText()).isEqualTo("Your order shipped; any questions?");
    assertThat(r.messageId()).isEqualTo(out.messageSid());
    assertThat(r.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
  }

  @Test
  void withoutAutoAcceptTheReservationIsLeftToTheAgent() {
    FlexOutbound out = delivery().build().startOutbound(FlexWorker.of(WORKER_SID, "alice"), BUSINESS, CUSTOMER,
        "Hello", "k1");
    assertThat(http.exchanges()).hasSize(2).allSatisfy(e -> assertThat(e.passed()).as(e.toString()).isTrue());
    assertThat(out.reservationAccepted()).isFalse();
  }

  @Test
  void theSameIdempotencyKeyReturnsTheSameConversationWithoutNewRequests() {
    FlexDelivery d = delivery().build();
    FlexOutbound first = d.startOutbound(WORKER, BUSINESS, CUSTOMER, "Hello", "same-key");
    int requests = http.exchanges().size();
    assertThat(d.startOutbound(WORKER, BUSINESS, CUSTOMER, "Hello", "same-key")).isEqualTo(first);
    assertThat(http.exchanges()).hasSize(requests);
    assertThatThrownBy(() -> d.startOutbound(WORKER, BUSINESS, CUSTOMER, "Other text", "same-key"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotencyKey");
  }

  @Test
  void afterAFailedStepTheSameKeyResumesThereWithoutASecondInteraction() {
    FlexDelivery d = delivery().build();
    http.failNext("/Messages");
    assertThatThrownBy(() -> d.startOutbound(WORKER, BUSINESS, CUSTOMER, "Hello", "resume"))
        .isInstanceOfSatisfying(FlexDeliveryException.class, e -> {
          assertThat(e.step()).isEqualTo("send first message");
          assertThat(e.status()).isEqualTo(503);
          assertThat(e.created()).contains("interaction KD", "conversation CH");
        });
    assertThat(originators.find(CUSTOMER, BUSINESS)).isEmpty(); // written once the message went out

    FlexOutbound out = d.startOutbound(WORKER, BUSINESS, CUSTOMER, "Hello", "resume");
    assertThat(out.messageSid()).startsWith("IM");
    assertThat(http.exchanges()).extracting(e -> e.method() + " " + e.url().replaceFirst(".*/v1/", "/v1/"))
        .containsExactly("POST /v1/Interactions",
            "POST /v1/Services/" + IS + "/Conversations/" + out.conversationSid() + "/Messages",
            "POST /v1/Services/" + IS + "/Conversations/" + out.conversationSid() + "/Messages");
    assertThat(originators.find(CUSTOMER, BUSINESS)).isPresent();
  }

  @Test
  void refusesWhatCannotBeSent() {
    FlexDelivery d = delivery().build();
    Originator other = Originator.longCode(PhoneNumber.of("+14155550999"));
    assertThatThrownBy(() -> d.startOutbound(WORKER, other, CUSTOMER, "Hello", "k"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a number of mapping support");
    assertThatThrownBy(() -> d.startOutbound(WORKER, BUSINESS, CUSTOMER, " ", "k"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text");
    assertThatThrownBy(() -> d.startOutbound(WORKER, BUSINESS, CUSTOMER, "x".repeat(1601), "k"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text");
    assertThatThrownBy(() -> d.startOutbound(WORKER, BUSINESS, CUSTOMER, "Hello", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotencyKey");
    assertThat(http.exchanges()).isEmpty();
    assertThat(originators.find(CUSTOMER, BUSINESS)).isEmpty();
  }

  @Test
  void aClientThatRetriesPostsIsRefusedAtBuild() {
    TwilioRestClient retrying = new TwilioRestClient.Builder(TwilioMocks.ACCOUNT, TwilioMocks.TOKEN)
        .httpClient(new NetworkHttpClient()).build();
    assertThatThrownBy(() -> FlexDelivery.builder().client(retrying).mapping(FlexFixtures.mapping())
        .originators(originators).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SingleAttemptHttpClient");
    assertThatThrownBy(() -> delivery().mode(FlexDelivery.Mode.FLEX_FLOW_CHANNELS).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxyServiceSid");
  }
}
