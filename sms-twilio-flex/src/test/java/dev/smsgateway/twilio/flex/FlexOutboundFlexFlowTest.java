package dev.smsgateway.twilio.flex;

import static dev.smsgateway.twilio.flex.FlexFixtures.BUSINESS;
import static dev.smsgateway.twilio.flex.FlexFixtures.CUSTOMER;
import static dev.smsgateway.twilio.flex.FlexFixtures.KS;
import static dev.smsgateway.twilio.flex.FlexFixtures.WORKER;
import static dev.smsgateway.twilio.flex.FlexFixtures.WORKER_SID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smsgateway.Originator;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.test.MutableClock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link FlexDelivery.Mode#FLEX_FLOW_CHANNELS}: Flex Flow, {@code POST /v1/Channels}, Proxy session; checked by Prism. */
class FlexOutboundFlexFlowTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FLOW = "FO" + "66666666666666666666666666666666";

  private final MutableClock clock = MutableClock.at("2026-03-02T10:00:00Z");
  private final InMemoryOriginatorStore originators = new InMemoryOriginatorStore(clock);
  private TwilioMocks.Recording http;

  @BeforeEach
  void mocks() throws Exception {
    http = TwilioMocks.get().recording();
  }

  private FlexDelivery.Builder delivery(Mapping mapping) {
    return FlexDelivery.builder().client(TwilioMocks.client(http)).mapping(mapping).originators(originators)
        .clock(clock).mode(FlexDelivery.Mode.FLEX_FLOW_CHANNELS).proxyServiceSid(KS);
  }

  @Test
  void createsTheChannelWithTargetingTaskAttributesAndBindsItToAProxySession() throws Exception {
    FlexOutbound out = delivery(FlexFixtures.mapping()).flexFlowSid(FLOW).autoAccept(true).build()
        .startOutbound(WORKER, BUSINESS, CUSTOMER, "Hello from support", "k1");

    List<TwilioMocks.Exchange> ex = http.exchanges();
    assertThat(ex).allSatisfy(e -> assertThat(e.passed()).as(e.toString()).isTrue());
    String session = "https://proxy.twilio.com/v1/Services/" + KS + "/Sessions";
    assertThat(ex).extracting(e -> e.method() + " " + e.url().replaceFirst("\\?.*", "")).startsWith(
        "POST https://flex-api.twilio.com/v1/Channels",
        "POST " + session,
        "POST " + session + "/" + out.proxySessionSid() + "/Participants",
        "POST " + session + "/" + out.proxySessionSid() + "/Participants",
        "POST " + session + "/" + out.proxySessionSid() + "/Participants/KPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            + "/MessageInteractions");
    // auto-accept: the worker's pending reservation of the channel's task
    assertThat(ex).hasSize(7);
    assertThat(ex.get(5).url()).startsWith("https://taskrouter.twilio.com/v1/Workspaces/" + FlexFixtures.WS + "/Tasks/"
        + out.taskSid() + "/Reservations");
    assertThat(ex.get(6).param("ReservationStatus")).isEqualTo("accepted");
    assertThat(out.reservationAccepted()).isTrue();

    TwilioMocks.Exchange channel = ex.get(0);
    assertThat(channel.param("FlexFlowSid")).isEqualTo(FLOW);
    assertThat(channel.param("Target")).isEqualTo(CUSTOMER.e164());
    assertThat(channel.param("LongLived")).isEqualTo("true");
    JsonNode attributes = JSON.readTree(channel.param("TaskAttributes"));
    assertThat(attributes.path("targetWorkerPhone").asText()).isEqualTo(FlexFixtures.WORKER_PHONE.e164());
    assertThat(attributes.path("targetWorkerSid").asText()).isEqualTo(WORKER_SID);
    assertThat(attributes.path("autoAnswer").asBoolean()).isTrue();
    assertThat(ex.get(1).param("UniqueName")).isEqualTo(out.conversationSid());
    assertThat(ex.get(1).param("Mode")).isEqualTo("message-only");
    assertThat(ex.get(2).param("Identifier")).isEqualTo(CUSTOMER.e164());
    assertThat(ex.get(2).param("ProxyIdentifier")).isEqualTo(BUSINESS.address());
    assertThat(ex.get(3).param("Identifier")).isEqualTo(out.conversationSid());
    assertThat(ex.get(4).param("Body")).isEqualTo("Hello from support");

    assertThat(out.mode()).isEqualTo(FlexDelivery.Mode.FLEX_FLOW_CHANNELS);
    assertThat(out.interactionSid()).isNull();
    assertThat(out.conversationSid()).startsWith("CH");
    assertThat(out.taskSid()).startsWith("WT");
    assertThat(out.proxySessionSid()).startsWith("KC");
    assertThat(out.messageSid()).startsWith("KI");
    assertThat(originators.find(CUSTOMER, BUSINESS).orElseThrow().agentId()).isEqualTo(WORKER_SID);
  }

  @Test
  void looksTheFlexFlowUpByContactIdentityAndRefusesAStudioFlow() {
    // the description's example lists one SMS Flex Flow, contact identity 12345, integration type studio
    Mapping shortCode = FlexFixtures.mapping().toBuilder().addNumber(n -> n.number("12345").displayName("Short")
        .queue("support")).build();
    Originator code = Originator.shortCode("12345", "US");
    FlexDelivery d = delivery(shortCode).build();
    assertThatThrownBy(() -> d.startOutbound(WORKER, code, CUSTOMER, "Hello", "k1"))
        .isInstanceOfSatisfying(FlexDeliveryException.class, e -> {
          assertThat(e.step()).isEqualTo("find Flex Flow");
          assertThat(e.getMessage()).contains("FOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "integration type studio");
        });
    assertThatThrownBy(() -> d.startOutbound(WORKER, BUSINESS, CUSTOMER, "Hello", "k2"))
        .isInstanceOfSatisfying(FlexDeliveryException.class,
            e -> assertThat(e.getMessage()).contains("no SMS Flex Flow has contact identity"));
    assertThat(http.exchanges()).hasSize(2).allSatisfy(e -> assertThat(e.passed()).as(e.toString()).isTrue());
    assertThat(originators.find(CUSTOMER, BUSINESS)).isEmpty();
  }
}
