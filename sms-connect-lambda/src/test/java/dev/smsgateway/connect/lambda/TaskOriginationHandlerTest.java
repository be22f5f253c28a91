package dev.smsgateway.connect.lambda;

import static dev.smsgateway.connect.lambda.LambdaWorld.event;
import static dev.smsgateway.connect.lambda.LambdaWorld.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.OptOutRecord;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.test.smsc.ReceivedSubmit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Task handler on Connect's contact-flow event, with the real SMPP provider (built from environment variables)
 * against the embedded SMSC, and the stores on DynamoDB Local.
 */
class TaskOriginationHandlerTest {

  static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550123");
  static final Originator BUSINESS = Originator.longCode(PhoneNumber.of("+14155550100"));

  private LambdaWorld world;
  private LambdaResources resources;
  private TaskOriginationHandler handler;

  @BeforeEach
  void setUp() throws Exception {
    world = new LambdaWorld();
    resources = world.resources();
    handler = new TaskOriginationHandler(resources);
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  @Test
  @DisplayName("a Task created by an agent sends Description to Name and records that agent for the reply")
  void sendsAndRecords() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(stream(event("task-created-by-agent.json")), out, null);

    JsonNode result = LambdaWorld.JSON.readTree(out.toByteArray());
    assertThat(result.get("status").asText()).isEqualTo("SENT");
    assertThat(result.get("messageId").asText()).isNotBlank();
    assertThat(result.get("error").asText()).isEmpty();
    assertThat(result.fieldNames()).toIterable().containsExactlyElementsOf(TaskOriginationHandler.RESULT_KEYS);
    // flat: every value a string, nothing nested
    result.fields().forEachRemaining(f -> assertThat(f.getValue().isTextual()).as(f.getKey()).isTrue());

    assertThat(world.smsc.awaitAccepted(1, Duration.ofSeconds(10))).isTrue();
    ReceivedSubmit submit = world.smsc.accepted().get(0);
    assertThat(submit.destAddr()).isEqualTo("14155550123");
    assertThat(submit.sourceAddr()).isEqualTo("14155550100");
    assertThat(submit.text()).isEqualTo("Your router ships today. Reply here with any question.");

    OriginatorRecord record = resources.originatorStore().find(CUSTOMER, BUSINESS).orElseThrow();
    assertThat(record.agentId()).isEqualTo(LambdaWorld.CREATOR_ID);
    assertThat(record.outboundText()).isEqualTo("Your router ships today. Reply here with any question.");
    assertThat(record.createdAt()).isEqualTo(world.clock.instant());
    assertThat(record.expiresAt()).isEqualTo(world.clock.instant().plus(Duration.ofHours(24)));
  }

  @Test
  @DisplayName("a national Name is normalized in the mapping's country; the agent comes from agentUserName")
  void nationalNumberAndAgentAttribute() throws Exception {
    Map<String, String> result = handler.handle(stream(event("task-agent-parameter.json")));

    assertThat(result).containsEntry("status", "SENT");
    assertThat(world.smsc.awaitAccepted(1, Duration.ofSeconds(10))).isTrue();
    assertThat(world.smsc.accepted().get(0).destAddr()).isEqualTo("14155550124");
    OriginatorRecord record = resources.originatorStore()
        .find(PhoneNumber.of("+14155550124"), BUSINESS).orElseThrow();
    assertThat(record.agentId()).isEqualTo("alice");
  }

  @Test
  @DisplayName("a retried event (same ContactId) sends once, also from another container on the same table")
  void retrySendsOnce() throws Exception {
    ObjectNode event = event("task-created-by-agent.json");
    Map<String, String> first = handler.handle(stream(event));
    Map<String, String> again = handler.handle(stream(event));
    TaskOriginationHandler otherContainer = new TaskOriginationHandler(world.resources());
    Map<String, String> elsewhere = otherContainer.handle(stream(event));

    assertThat(first).containsEntry("status", "SENT");
    assertThat(again).isEqualTo(first);
    assertThat(elsewhere).isEqualTo(first);
    // each handle() returned after its send finished: a second submit would already be recorded
    assertThat(world.smsc.awaitAccepted(1, Duration.ofSeconds(10))).isTrue();
    assertThat(world.smsc.received()).hasSize(1);
  }

  @Test
  @DisplayName("an opted-out customer gets nothing, and no originator record is left behind")
  void optedOut() {
    resources.stores().optOutStore().record(new OptOutRecord(CUSTOMER, true, "STOP", "test",
        world.clock.instant()));

    Map<String, String> result = handler.handle(stream(event("task-created-by-agent.json")));

    assertThat(result).containsEntry("status", "FAILED").containsEntry("errorCode", "OPTED_OUT");
    assertThat(result.get("error")).doesNotContain("+14155550123");
    assertThat(world.smsc.received()).isEmpty();
    assertThat(resources.originatorStore().find(CUSTOMER, BUSINESS)).isEmpty();
  }

  @Test
  @DisplayName("a provider slower than the invocation's remaining time: UNKNOWN in time; the retry answers the send")
  void slowProviderAnswersUnknownThenRetryFindsTheSend() throws Exception {
    world.smsc.onSubmit(submit -> dev.smsgateway.test.smsc.SubmitAction.acceptAfter(Duration.ofMillis(1500)));
    ObjectNode event = event("task-created-by-agent.json");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(stream(event), out, new RemainingTime(700));
    JsonNode first = LambdaWorld.JSON.readTree(out.toByteArray());
    assertThat(first.get("status").asText()).isEqualTo("UNKNOWN");
    assertThat(first.get("errorCode").asText()).isEqualTo("TIMEOUT");
    // the record stays: the SMS may still go out, and its reply must reach the agent
    assertThat(resources.originatorStore().find(CUSTOMER, BUSINESS)).isPresent();

    Map<String, String> retry = handler.handle(stream(event));
    assertThat(retry).containsEntry("status", "SENT");
    assertThat(world.smsc.received()).hasSize(1);
  }

  /** A Lambda context that says how much time the invocation has left. */
  record RemainingTime(int millis) implements com.amazonaws.services.lambda.runtime.Context {
    @Override public int getRemainingTimeInMillis() {
      return millis;
    }

    @Override public String getAwsRequestId() {
      return "req-1";
    }

    @Override public String getLogGroupName() {
      return null;
    }

    @Override public String getLogStreamName() {
      return null;
    }

    @Override public String getFunctionName() {
      return "task-origination";
    }

    @Override public String getFunctionVersion() {
      return "1";
    }

    @Override public String getInvokedFunctionArn() {
      return null;
    }

    @Override public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
      return null;
    }

    @Override public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
      return null;
    }

    @Override public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() {
      return null;
    }
  }

  static Stream<Arguments> badEvents() {
    return Stream.of(
        bad("MISSING_NAME", d -> d.remove("Name")),
        bad("MISSING_NAME", d -> d.put("Name", "  ")),
        bad("MISSING_NAME", d -> d.putNull("Name")),
        bad("INVALID_NUMBER", d -> d.put("Name", "call me maybe")),
        bad("INVALID_NUMBER", d -> d.put("Name", "12")),
        bad("INVALID_NUMBER", d -> d.put("Name", "+1 415 555")),
        bad("MISSING_DESCRIPTION", d -> d.remove("Description")),
        bad("UNKNOWN_BUSINESS_NUMBER", d -> { }),
        bad("INVALID_EVENT", d -> d.remove("ContactId")),
        bad("MISSING_AGENT", d -> d.remove("SegmentAttributes")),
        bad("MISSING_AGENT", d -> d.put("SegmentAttributes", "not an object")));
  }

  private static Arguments bad(String code, Consumer<ObjectNode> change) {
    return Arguments.of(code, change);
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("badEvents")
  @DisplayName("bad events answer FAILED with a code and send nothing")
  void badEvent(String code, Consumer<ObjectNode> change) throws Exception {
    ObjectNode event = event("task-created-by-agent.json", change);
    if (code.equals("UNKNOWN_BUSINESS_NUMBER")) {
      ((ObjectNode) event.get("Details").get("Parameters")).put("businessNumber", "+14155550199");
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(stream(event), out, null);
    JsonNode result = LambdaWorld.JSON.readTree(out.toByteArray());

    assertThat(result.get("status").asText()).isEqualTo("FAILED");
    assertThat(result.fieldNames()).toIterable().containsExactlyElementsOf(TaskOriginationHandler.RESULT_KEYS);
    assertThat(result.get("errorCode").asText()).isEqualTo(code);
    assertThat(result.get("error").asText()).isNotBlank();
    assertThat(world.smsc.received()).isEmpty();
    assertThat(resources.originatorStore().find(CUSTOMER, BUSINESS)).isEmpty();
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("notEvents")
  @DisplayName("input that is not an event object answers INVALID_EVENT")
  void notAnEvent(String input) {
    Map<String, String> result = handler.handle(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));

    assertThat(result).containsEntry("status", "FAILED").containsEntry("errorCode", "INVALID_EVENT");
  }

  static Stream<String> notEvents() {
    return Stream.of("", "not json", "[1,2]", "\"text\"", "{\"Details\": 5}", "{".repeat(100));
  }

  @Test
  @DisplayName("the business number may come from the SystemEndpoint when the block passes none")
  void businessFromSystemEndpoint() {
    ObjectNode event = event("task-created-by-agent.json", d -> d.putObject("SystemEndpoint")
        .put("Address", "+14155550101").put("Type", "TELEPHONE_NUMBER"));
    ((ObjectNode) event.get("Details").get("Parameters")).remove("businessNumber");

    Map<String, String> result = handler.handle(stream(event));

    assertThat(result).containsEntry("status", "SENT");
    Optional<OriginatorRecord> record = resources.originatorStore().find(CUSTOMER,
        Originator.longCode(PhoneNumber.of("+14155550101")));
    assertThat(record).isPresent();
  }
}
