package dev.smsgateway.connect.lambda;

import dev.smsgateway.store.dynamodb.LocalDynamoDb;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;

/**
 * The files a user deploys (deploy/): the SAM template parses as YAML and wires what the handlers need, its table
 * is the one the stores create, its handler names load, its policies match the IAM documents; the contact flows are
 * well-formed and read only keys the handlers return. (Nothing here can be deployed from a build.)
 */
class DeploymentFilesTest {

  static final Path DEPLOY = Path.of("deploy");
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNode TEMPLATE = read(new YAMLMapper(), DEPLOY.resolve("template.yaml"));
  static final JsonNode RESOURCES = TEMPLATE.get("Resources");

  static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      return mapper.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new AssertionError("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  @Test
  @DisplayName("the template is a SAM template whose functions name handlers that load, with a public no-arg constructor")
  void functions() throws Exception {
    assertThat(TEMPLATE.get("AWSTemplateFormatVersion").asText()).isEqualTo("2010-09-09");
    assertThat(TEMPLATE.get("Transform").asText()).isEqualTo("AWS::Serverless-2016-10-31");
    Set<String> handlers = new TreeSet<>();
    for (JsonNode resource : RESOURCES) {
      if (resource.get("Type").asText().equals("AWS::Serverless::Function")) {
        handlers.add(resource.get("Properties").get("Handler").asText());
      }
    }
    assertThat(handlers).containsExactly(
        "dev.smsgateway.connect.lambda.ReplyLookupHandler::handleRequest",
        "dev.smsgateway.connect.lambda.TaskOriginationHandler::handleRequest");
    for (String handler : handlers) {
      Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
      assertThat(RequestStreamHandler.class).isAssignableFrom(type);
      assertThat(type.getConstructor()).isNotNull();
    }
    JsonNode globals = TEMPLATE.get("Globals").get("Function");
    assertThat(globals.get("Runtime").asText()).isEqualTo("java17");
    assertThat(globals.get("Timeout").asInt()).isLessThanOrEqualTo(8);
    assertThat(globals.get("CodeUri").asText()).endsWith("-lambda.jar");
    Set<String> variables = new HashSet<>();
    globals.get("Environment").get("Variables").fieldNames().forEachRemaining(variables::add);
    assertThat(variables).contains(LambdaSettings.TABLE_NAME, LambdaSettings.ROUTING_CONFIG,
        LambdaSettings.CONNECT_DEFAULT_QUEUE);
    Set<String> taskVariables = new HashSet<>();
    RESOURCES.get("TaskOriginationFunction").get("Properties").get("Environment").get("Variables").fieldNames()
        .forEachRemaining(taskVariables::add);
    assertThat(taskVariables).contains(LambdaSettings.PROVIDER, LambdaSettings.PROVIDER_NAME,
        LambdaSettings.variableOf("eum.region"), LambdaSettings.variableOf("eum.mode"));
    assertThat(RESOURCES.get("TaskOriginationFunction").get("Properties").get("Environment").get("Variables")
        .get("EUM_MODE").asText()).isEqualTo("EUM_CONNECT");
  }

  @Test
  @DisplayName("every Ref and Fn::GetAtt names a parameter, a resource, a function alias or a pseudo parameter")
  void references() {
    Set<String> known = new HashSet<>();
    TEMPLATE.get("Parameters").fieldNames().forEachRemaining(known::add);
    RESOURCES.fieldNames().forEachRemaining(known::add);
    RESOURCES.fields().forEachRemaining(e -> {
      if (e.getValue().get("Type").asText().equals("AWS::Serverless::Function")) {
        known.add(e.getKey() + ".Alias"); // AutoPublishAlias in Globals
      }
    });
    known.addAll(List.of("AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::NoValue"));
    List<String> refs = new java.util.ArrayList<>();
    collectRefs(TEMPLATE, refs);
    assertThat(refs).isNotEmpty();
    assertThat(refs).allSatisfy(ref -> assertThat(known).as("reference target").contains(ref));
    assertThat(TEMPLATE.get("Globals").get("Function").get("AutoPublishAlias").asText()).isNotBlank();
  }

  private static void collectRefs(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("Ref")) {
          refs.add(e.getValue().asText());
        } else if (e.getKey().equals("Fn::GetAtt")) {
          refs.add(e.getValue().get(0).asText());
        } else if (e.getKey().equals("Fn::Sub")) {
          Matcher m = Pattern.compile("\\$\\{([^}.]+)[^}]*}").matcher(e.getValue().asText());
          while (m.find()) {
            refs.add(m.group(1));
          }
        } else {
          collectRefs(e.getValue(), refs);
        }
      });
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, refs));
    }
  }

  @Test
  @DisplayName("the template's table is the one DynamoDbStores creates: keys, indexes, native TTL on ttl")
  void table() {
    JsonNode table = RESOURCES.get("SmsTable").get("Properties");
    DynamoDbClient client = LocalDynamoDb.client();
    String name = LocalDynamoDb.newTable();
    TableDescription created = client.describeTable(r -> r.tableName(name)).table();
    TimeToLiveDescription ttl = client.describeTimeToLive(r -> r.tableName(name)).timeToLiveDescription();

    assertThat(pairs(table.get("KeySchema"), "AttributeName", "KeyType")).isEqualTo(created.keySchema().stream()
        .map(k -> k.attributeName() + "=" + k.keyTypeAsString()).collect(Collectors.toSet()));
    assertThat(pairs(table.get("AttributeDefinitions"), "AttributeName", "AttributeType")).isEqualTo(
        created.attributeDefinitions().stream().map(a -> a.attributeName() + "=" + a.attributeTypeAsString())
            .collect(Collectors.toSet()));
    Set<String> indexes = StreamSupport.stream(table.get("GlobalSecondaryIndexes").spliterator(), false)
        .map(i -> i.get("IndexName").asText() + ":" + pairs(i.get("KeySchema"), "AttributeName", "KeyType"))
        .collect(Collectors.toSet());
    assertThat(indexes).isEqualTo(created.globalSecondaryIndexes().stream()
        .map(i -> i.indexName() + ":" + i.keySchema().stream()
            .map(k -> k.attributeName() + "=" + k.keyTypeAsString()).collect(Collectors.toSet()))
        .collect(Collectors.toSet()));
    assertThat(table.get("TimeToLiveSpecification").get("AttributeName").asText()).isEqualTo(ttl.attributeName());
    assertThat(table.get("TimeToLiveSpecification").get("Enabled").asBoolean()).isTrue();
  }

  private static Set<String> pairs(JsonNode list, String key, String value) {
    return StreamSupport.stream(list.spliterator(), false).map(n -> n.get(key).asText() + "=" + n.get(value).asText())
        .collect(Collectors.toSet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"TaskOriginationFunction:task-origination-policy.json",
      "ReplyLookupFunction:reply-lookup-policy.json"})
  @DisplayName("each function's policy in the template grants the actions of its IAM document")
  void policies(String pair) {
    String function = pair.split(":")[0];
    JsonNode document = read(JSON, DEPLOY.resolve("iam").resolve(pair.split(":")[1]));
    assertThat(document.get("Version").asText()).isEqualTo("2012-10-17");
    Set<String> documented = actions(document);
    documented.removeIf(a -> a.startsWith("logs:")); // SAM's basic execution role grants the logs actions
    Set<String> templated = actions(RESOURCES.get(function).get("Properties").get("Policies"));
    assertThat(templated).isEqualTo(documented);
    if (function.startsWith("Task")) {
      assertThat(documented).contains("sms-voice:SendTextMessage", "dynamodb:PutItem", "dynamodb:GetItem",
          "dynamodb:TransactWriteItems", "secretsmanager:GetSecretValue");
    } else {
      assertThat(documented).containsExactlyInAnyOrder("dynamodb:DescribeTable", "dynamodb:GetItem",
          "connect:SearchUsers", "connect:DescribeUser");
    }
  }

  private static Set<String> actions(JsonNode node) {
    Set<String> out = new TreeSet<>();
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("Action")) {
          if (e.getValue().isArray()) {
            e.getValue().forEach(a -> out.add(a.asText()));
          } else {
            out.add(e.getValue().asText());
          }
        } else {
          out.addAll(actions(e.getValue()));
        }
      });
    } else if (node.isArray()) {
      node.forEach(child -> out.addAll(actions(child)));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"task-origination-flow.json", "inbound-sms-flow.json", "agent-whisper-flow.json"})
  @DisplayName("each flow is well-formed: its start and every transition name an action of the flow")
  void flowsWellFormed(String file) {
    JsonNode flow = read(JSON, DEPLOY.resolve("flows").resolve(file));
    assertThat(flow.get("Version").asText()).isEqualTo("2019-10-30");
    Set<String> ids = new HashSet<>();
    flow.get("Actions").forEach(a -> assertThat(ids.add(a.get("Identifier").asText())).as("unique id").isTrue());
    assertThat(ids).contains(flow.get("StartAction").asText());
    List<String> targets = new java.util.ArrayList<>();
    flow.get("Actions").forEach(a -> collectNext(a.get("Transitions"), targets));
    assertThat(targets).isNotEmpty().allSatisfy(t -> assertThat(ids).contains(t));
  }

  private static void collectNext(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("NextAction")) {
          out.add(e.getValue().asText());
        } else {
          collectNext(e.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(child -> collectNext(child, out));
    }
  }

  @Test
  @DisplayName("the flows read only keys the handlers return, and do what the set-up needs")
  void flowsUseHandlerResults() throws IOException {
    String task = Files.readString(DEPLOY.resolve("flows/task-origination-flow.json"));
    String inbound = Files.readString(DEPLOY.resolve("flows/inbound-sms-flow.json"));
    String whisper = Files.readString(DEPLOY.resolve("flows/agent-whisper-flow.json"));
    assertThat(external(task)).isNotEmpty().isSubsetOf(TaskOriginationHandler.RESULT_KEYS);
    assertThat(external(inbound)).isNotEmpty().isSubsetOf(ReplyLookupHandler.RESULT_KEYS);

    JsonNode in = JSON.readTree(inbound);
    List<JsonNode> actions = StreamSupport.stream(in.get("Actions").spliterator(), false).toList();
    assertThat(actions).anySatisfy(a -> {
      assertThat(a.get("Type").asText()).isEqualTo("UpdateContactTargetQueue");
      assertThat(a.get("Parameters").path("AgentId").asText()).isEqualTo("$.External.agentArn");
    });
    assertThat(actions).anySatisfy(a -> {
      assertThat(a.get("Type").asText()).isEqualTo("UpdateContactTargetQueue");
      assertThat(a.get("Parameters").path("QueueId").asText()).contains("fallbackQueueArn");
    });
    assertThat(actions).anySatisfy(a -> assertThat(a.get("Parameters").path("EventHooks").has("AgentWhisper"))
        .isTrue());
    assertThat(actions).anySatisfy(a -> assertThat(a.get("Parameters").path("Attributes").path("fallbackQueueArn")
        .asText()).isEqualTo("$.External.queueArn"));
    assertThat(inbound).contains("\"originalText\": \"$.External.originalText\"");
    assertThat(whisper).contains("$.Attributes.originalText");
    assertThat(JSON.readTree(task).get("Actions").get(0).get("Type").asText()).isEqualTo("InvokeLambdaFunction");
  }

  private static Set<String> external(String flow) {
    Set<String> keys = new TreeSet<>();
    Matcher m = Pattern.compile("\\$\\.External\\.([A-Za-z]+)").matcher(flow);
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }
}
