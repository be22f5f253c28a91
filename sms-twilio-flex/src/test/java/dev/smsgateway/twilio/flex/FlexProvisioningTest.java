package dev.smsgateway.twilio.flex;

import static dev.smsgateway.twilio.flex.FlexFixtures.BUSINESS;
import static dev.smsgateway.twilio.flex.FlexFixtures.IS;
import static dev.smsgateway.twilio.flex.FlexFixtures.WS;
import static dev.smsgateway.twilio.flex.FlexFixtures.WW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.twilio.flex.ProvisioningReport.State;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FlexProvisioning} against Prism. The descriptions' examples fix what Twilio "has": a workflow whose
 * configuration is not JSON, SMS address configurations for +37256123457 (webhook), +37256123458 (Studio, disabled)
 * and +37256123459 (default, no service), and a service webhook posting to https://www.example.com/post.
 */
class FlexProvisioningTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final URI OTHER_URL = URI.create("https://flex.example.com/twilio/conversations");
  private static final URI EXAMPLE_URL = URI.create("https://www.example.com/post");

  private TwilioMocks.Recording http;

  @BeforeEach
  void mocks() throws Exception {
    http = TwilioMocks.get().recording();
  }

  private FlexProvisioning provisioning(Mapping m) {
    return new FlexProvisioning(TwilioMocks.client(http), m);
  }

  @Test
  void reportsWhatIsMissingWithoutChangingAnything() {
    ProvisioningReport r = provisioning(FlexFixtures.mapping()).check(BUSINESS, OTHER_URL,
        FlexProvisioning.Target.PHONE, false);
    assertThat(r.findings()).extracting(ProvisioningReport.Finding::state)
        .containsExactly(State.UNREADABLE, State.MISSING, State.CONFLICT);
    assertThat(r.complete()).isFalse();
    assertThat(r.finding("workflow filter").detail()).contains("task.targetWorkerPhone == worker.phone");
    assertThat(r.finding("service webhook").detail()).contains("https://www.example.com/post");
    assertThat(http.exchanges()).allSatisfy(e -> {
      assertThat(e.passed()).as(e.toString()).isTrue();
      assertThat(e.method()).isEqualTo("GET");
    });
    assertThat(http.exchanges()).extracting(e -> e.url().replaceFirst("\\?.*", "")).containsExactly(
        "https://taskrouter.twilio.com/v1/Workspaces/" + WS + "/Workflows/" + WW,
        "https://conversations.twilio.com/v1/Configuration/Addresses",
        "https://conversations.twilio.com/v1/Services/" + IS + "/Configuration/Webhooks");
  }

  @Test
  void createsTheAddressConfigurationAndCompletesTheWebhookFilters() {
    ProvisioningReport r = provisioning(FlexFixtures.mapping()).check(BUSINESS, EXAMPLE_URL,
        FlexProvisioning.Target.WORKER_SID, true);
    assertThat(r.finding("address configuration").state()).isEqualTo(State.CREATED);
    assertThat(r.finding("service webhook").state()).isEqualTo(State.CREATED);
    assertThat(http.exchanges()).allSatisfy(e -> assertThat(e.passed()).as(e.toString()).isTrue());
    TwilioMocks.Exchange address = http.exchanges().stream().filter(e -> e.method().equals("POST")
        && e.url().endsWith("/Configuration/Addresses")).findFirst().orElseThrow();
    assertThat(address.param("Type")).isEqualTo("sms");
    assertThat(address.param("Address")).isEqualTo(BUSINESS.address());
    assertThat(address.param("AutoCreation.Enabled")).isEqualTo("true");
    assertThat(address.param("AutoCreation.Type")).isEqualTo("default");
    assertThat(address.param("AutoCreation.ConversationServiceSid")).isEqualTo(IS);
    TwilioMocks.Exchange webhook = http.exchanges().stream().filter(e -> e.method().equals("POST")
        && e.url().endsWith("/Configuration/Webhooks")).findFirst().orElseThrow();
    assertThat(webhook.param("PostWebhookUrl")).isEqualTo(EXAMPLE_URL.toString());
    assertThat(webhook.form().get("Filters")).containsExactlyInAnyOrder("onMessageRemove", "onParticipantAdd",
        "onConversationAdded");
  }

  @Test
  void anAddressConfigurationOfSomethingElseIsAConflictLeftAlone() {
    Originator studio = Originator.longCode(PhoneNumber.of("+37256123458"));
    Mapping m = FlexFixtures.mapping().toBuilder().addNumber(n -> n.number(studio.address()).displayName("EE")
        .queue("support")).build();
    ProvisioningReport r = provisioning(m).check(studio, EXAMPLE_URL, FlexProvisioning.Target.PHONE, true);
    assertThat(r.finding("address configuration").state()).isEqualTo(State.CONFLICT);
    assertThat(r.finding("address configuration").detail()).contains("disabled", "studio");
    assertThat(http.exchanges()).noneMatch(e -> e.method().equals("POST") && e.url().endsWith("/Addresses"));
  }

  @Test
  void theWorkflowFilterGoesFirstOnTheDefaultQueueAndItsUpdatePassesTheDescription() throws Exception {
    String config = "{\"task_routing\":{\"filters\":[{\"filter_friendly_name\":\"Sales\",\"expression\":\"type=='sales'\","
        + "\"targets\":[{\"queue\":\"WQ" + "1".repeat(32) + "\"}]}],\"default_filter\":{\"queue\":\"WQ" + "2".repeat(32)
        + "\"}}}";
    JsonNode before = JSON.readTree(config);
    assertThat(FlexProvisioning.hasTarget(before, "task.targetWorkerPhone == worker.phone")).isFalse();
    String updated = FlexProvisioning.withTargetFilter(before, FlexProvisioning.Target.PHONE);
    JsonNode after = JSON.readTree(updated);
    assertThat(FlexProvisioning.hasTarget(after, "task.targetWorkerPhone==worker.phone")).isTrue();
    JsonNode first = after.path("task_routing").path("filters").get(0);
    assertThat(first.path("expression").asText()).isEqualTo("targetWorkerPhone != null");
    assertThat(first.path("targets").get(0).path("queue").asText()).isEqualTo("WQ" + "2".repeat(32));
    assertThat(after.path("task_routing").path("filters").get(1).path("filter_friendly_name").asText())
        .isEqualTo("Sales");
    assertThat(FlexProvisioning.withTargetFilter(JSON.readTree("{\"task_routing\":{}}"),
        FlexProvisioning.Target.PHONE)).isNull();

    provisioning(FlexFixtures.mapping()).updateWorkflow(updated);
    assertThat(http.exchanges()).singleElement().satisfies(e -> {
      assertThat(e.passed()).as(e.toString()).isTrue();
      assertThat(e.param("Configuration")).isEqualTo(updated);
    });
  }

  @Test
  void aNumberOfAnotherMappingIsRefused() {
    Originator other = Originator.longCode(PhoneNumber.of("+14155550999"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> provisioning(FlexFixtures.mapping()).check(other,
        EXAMPLE_URL, FlexProvisioning.Target.PHONE, false)).isInstanceOf(IllegalArgumentException.class);
    assertThat(List.copyOf(http.exchanges())).isEmpty();
  }
}
