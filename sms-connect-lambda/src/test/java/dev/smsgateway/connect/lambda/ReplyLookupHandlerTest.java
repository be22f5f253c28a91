package dev.smsgateway.connect.lambda;

import static dev.smsgateway.connect.lambda.LambdaWorld.event;
import static dev.smsgateway.connect.lambda.LambdaWorld.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.OriginatorRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The lookup handler on Connect's inbound contact-flow event, with the originator records on DynamoDB Local and the
 * Connect stand-in answering SearchUsers/DescribeUser (every request checked against the Connect model).
 */
class ReplyLookupHandlerTest {

  static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550123");
  static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550100"));
  static final String SUPPORT_QUEUE_ARN = LambdaWorld.INSTANCE_ARN + "/queue/" + LambdaWorld.SUPPORT_QUEUE;

  private LambdaWorld world;
  private LambdaResources resources;
  private ReplyLookupHandler handler;
  private ConnectStandIn.User alice;

  @BeforeEach
  void setUp() throws Exception {
    world = new LambdaWorld();
    resources = world.resources();
    handler = new ReplyLookupHandler(resources);
    alice = world.connect.addUser(LambdaWorld.INSTANCE, "5f0b8e2a-1111-4c3d-9e8f-a1b2c3d4e5f6", "alice");
  }

  @AfterEach
  void tearDown() {
    assertThat(world.connect.violations()).as("requests that break the Connect model").isEmpty();
    world.close();
  }

  private void record(String agent, String text, Duration ttl) {
    resources.originatorStore().put(OriginatorRecord.of(CUSTOMER, BUSINESS, agent, text, null,
        world.clock.instant(), ttl));
  }

  @Test
  @DisplayName("a reply to an agent's text finds the agent by user name (SearchUsers) and the original text")
  void foundByUserName() throws Exception {
    record("alice", "Your router ships today", Duration.ofHours(24));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(stream(event("inbound-sms.json")), out, null);
    JsonNode result = LambdaWorld.JSON.readTree(out.toByteArray());

    assertThat(result.get("found").asText()).isEqualTo("true");
    assertThat(result.get("route").asText()).isEqualTo("AGENT");
    assertThat(result.get("agentId").asText()).isEqualTo("alice");
    assertThat(result.get("agentArn").asText()).isEqualTo(alice.arn());
    assertThat(result.get("agentUserName").asText()).isEqualTo("alice");
    assertThat(result.get("originalText").asText()).isEqualTo("Your router ships today");
    assertThat(result.get("queueArn").asText()).isEqualTo(SUPPORT_QUEUE_ARN);
    assertThat(result.get("errorCode").asText()).isEmpty();
    result.fields().forEachRemaining(f -> assertThat(f.getValue().isTextual()).as(f.getKey()).isTrue());
    assertThat(result.fieldNames()).toIterable().containsExactlyElementsOf(ReplyLookupHandler.RESULT_KEYS);
    assertThat(world.connect.calls()).extracting(ConnectStandIn.Call::operation).containsExactly("SearchUsers");
    JsonNode search = LambdaWorld.JSON.readTree(world.connect.calls().get(0).body());
    assertThat(search.get("InstanceId").asText()).isEqualTo(LambdaWorld.INSTANCE);
  }

  @Test
  @DisplayName("an agent recorded by user id (a Task's connect:CreatedByUser) is read with DescribeUser")
  void foundByUserId() {
    record(alice.id(), "hello", Duration.ofHours(1));

    Map<String, String> result = handler.handle(stream(event("inbound-sms.json")));

    assertThat(result).containsEntry("route", "AGENT").containsEntry("agentArn", alice.arn())
        .containsEntry("agentUserName", "alice");
    assertThat(world.connect.calls()).extracting(ConnectStandIn.Call::operation).containsExactly("DescribeUser");
    assertThat(world.connect.calls().get(0).path())
        .isEqualTo("/users/" + LambdaWorld.INSTANCE + "/" + alice.id());
  }

  @Test
  @DisplayName("resolved agents are cached for SMS_AGENT_CACHE_TTL, then asked again")
  void agentCache() {
    record("alice", "hello", Duration.ofHours(24));

    handler.handle(stream(event("inbound-sms.json")));
    handler.handle(stream(event("inbound-sms.json")));
    assertThat(world.connect.calls()).hasSize(1);

    world.clock.advance(LambdaSettings.DEFAULT_AGENT_CACHE_TTL);
    Map<String, String> result = handler.handle(stream(event("inbound-sms.json")));
    assertThat(result).containsEntry("agentArn", alice.arn());
    assertThat(world.connect.calls()).hasSize(2);
  }

  @Test
  @DisplayName("an expired record is not found: route QUEUE with the number's queue ARN")
  void expired() {
    record("alice", "hello", Duration.ofMinutes(10));
    world.clock.advance(Duration.ofMinutes(10));

    Map<String, String> result = handler.handle(stream(event("inbound-sms.json")));

    assertThat(result).containsEntry("found", "false").containsEntry("route", "QUEUE")
        .containsEntry("agentArn", "").containsEntry("queueArn", SUPPORT_QUEUE_ARN).containsEntry("errorCode", "");
    assertThat(world.connect.calls()).isEmpty();
  }

  @Test
  @DisplayName("no record: QUEUE, and a number whose queue is configured as an ARN answers that ARN")
  void noRecordQueueArn() {
    ObjectNode event = event("inbound-sms.json", d -> ((ObjectNode) d.get("SystemEndpoint"))
        .put("Address", "+14155550101"));

    Map<String, String> result = handler.handle(stream(event));

    assertThat(result).containsEntry("found", "false").containsEntry("route", "QUEUE")
        .containsEntry("queueArn", LambdaWorld.BILLING_QUEUE_ARN);
  }

  @Test
  @DisplayName("an agent Connect does not know: found, but route QUEUE with AGENT_NOT_FOUND")
  void agentUnknown() {
    record("bob", "hello", Duration.ofHours(1));

    Map<String, String> result = handler.handle(stream(event("inbound-sms.json")));

    assertThat(result).containsEntry("found", "true").containsEntry("route", "QUEUE")
        .containsEntry("agentId", "bob").containsEntry("originalText", "hello")
        .containsEntry("errorCode", "AGENT_NOT_FOUND").containsEntry("queueArn", SUPPORT_QUEUE_ARN);
  }

  @Test
  @DisplayName("Connect failing: route QUEUE with CONNECT_ERROR, and the failure is not cached")
  void connectFails() {
    record("alice", "hello", Duration.ofHours(1));
    world.connect.failWith(500);

    Map<String, String> failed = handler.handle(stream(event("inbound-sms.json")));
    world.connect.failWith(0);
    Map<String, String> later = handler.handle(stream(event("inbound-sms.json")));

    assertThat(failed).containsEntry("route", "QUEUE").containsEntry("errorCode", "CONNECT_ERROR")
        .containsEntry("queueArn", SUPPORT_QUEUE_ARN);
    assertThat(later).containsEntry("route", "AGENT").containsEntry("agentArn", alice.arn());
  }

  @Test
  @DisplayName("bad events answer a flat QUEUE result with an error code, never an exception")
  void badEvents() {
    assertThat(handler.handle(stream(event("inbound-sms.json", d -> d.remove("CustomerEndpoint")))))
        .containsEntry("errorCode", "MISSING_CUSTOMER").containsEntry("route", "QUEUE");
    assertThat(handler.handle(stream(event("inbound-sms.json", d -> ((ObjectNode) d.get("CustomerEndpoint"))
        .put("Address", "4155550123"))))).containsEntry("errorCode", "INVALID_NUMBER");
    assertThat(handler.handle(stream(event("inbound-sms.json", d -> ((ObjectNode) d.get("SystemEndpoint"))
        .put("Address", "+14155550199"))))).containsEntry("errorCode", "UNKNOWN_BUSINESS_NUMBER")
        .containsEntry("found", "false");
    assertThat(handler.handle(stream(event("inbound-sms.json", d -> d.remove("SystemEndpoint")))))
        .containsEntry("errorCode", "UNKNOWN_BUSINESS_NUMBER");
    for (String input : new String[] {"", "nope", "[]", "{\"Details\":[]}"}) {
      Map<String, String> r = handler.handle(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
      assertThat(r.get("errorCode")).as(input).isIn("INVALID_EVENT", "MISSING_CUSTOMER");
      assertThat(r).containsEntry("found", "false").containsEntry("route", "QUEUE");
      assertThat(r.keySet()).containsExactlyElementsOf(ReplyLookupHandler.RESULT_KEYS);
    }
  }

  @Test
  @DisplayName("Task to SMS to reply: the lookup finds the agent who created the Task, with the Task's text")
  void endToEnd() {
    world.connect.addUser(LambdaWorld.INSTANCE, LambdaWorld.CREATOR_ID, "carol");
    TaskOriginationHandler task = new TaskOriginationHandler(world.resources());
    assertThat(task.handle(stream(event("task-created-by-agent.json")))).containsEntry("status", "SENT");

    Map<String, String> reply = handler.handle(stream(event("inbound-sms.json")));

    assertThat(reply).containsEntry("found", "true").containsEntry("route", "AGENT")
        .containsEntry("agentUserName", "carol")
        .containsEntry("originalText", "Your router ships today. Reply here with any question.")
        .containsEntry("agentArn", "arn:aws:connect:us-east-1:123456789012:instance/" + LambdaWorld.INSTANCE
            + "/agent/" + LambdaWorld.CREATOR_ID);
  }
}
