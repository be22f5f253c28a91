package dev.smsgateway.routing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.smsgateway.NumberCheck;
import dev.smsgateway.SmsValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration model from JSON or YAML through Jackson's tree model, so that every error names the exact
 * path ({@code mappings[sales].numbers[2].queue}) and unknown settings (typos) are errors rather than ignored.
 */
final class ConfigurationReader {

  enum Format { JSON, YAML }

  private static final Pattern SIMPLE_DURATION = Pattern.compile("([0-9]{1,9})\\s*(ms|s|m|h|d)");
  private static final Set<String> ROOT_KEYS = Set.of("providers", "mappings");
  private static final Set<String> PROVIDER_KEYS = Set.of("answersKeywords");
  private static final Set<String> MAPPING_KEYS = Set.of("code", "description", "provider", "defaultCountry", "delivery",
      "chatControl", "numbers", "originatorTtl", "keywords", "webhookPath", "replies", "providerType",
      "flex");
  private static final Set<String> FLEX_KEYS = Set.of("workspaceSid", "workflowSid", "taskChannel", "conversationServiceSid");
  private static final Set<String> CHAT_KEYS = Set.of("suppressSystemMessages", "idleTimeout", "idleTimeoutMessage",
      "maxChatsMessage", "agentJoinedMessage", "agentLeftMessage", "endedMessage", "agentAcceptTimeout", "chatDuration");
  private static final Set<String> NUMBER_KEYS = Set.of("number", "displayName", "queue", "contactFlowId",
      "connectPhoneNumberArn", "keywords", "partsPerSecond");
  private static final Set<String> KEYWORD_KEYS = Set.of("keyword", "reply");
  private static final Set<String> REPLY_KEYS = Set.of("help", "optOut", "optIn");

  private static final ObjectMapper JSON = limits(JsonMapper.builder().build());
  private static final ObjectMapper YAML = limits(new YAMLMapper(YAMLFactory.builder().build()));

  private ConfigurationReader() {}

  private static ObjectMapper limits(ObjectMapper mapper) {
    // A configuration file is small; refuse pathological nesting or sizes instead of exhausting the stack.
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(32).maxStringLength(100_000).maxDocumentLength(10_000_000L).build());
    return mapper;
  }

  static RoutingConfiguration read(String text, Format format, NumberCheck check) {
    try {
      return convert(mapper(format).readTree(text), format, check);
    } catch (JsonProcessingException e) {
      throw syntax(e, format);
    }
  }

  static RoutingConfiguration read(InputStream in, Format format, NumberCheck check) throws IOException {
    try {
      return convert(mapper(format).readTree(in), format, check);
    } catch (JsonProcessingException e) {
      throw syntax(e, format);
    }
  }

  private static ObjectMapper mapper(Format format) {
    return format == Format.JSON ? JSON : YAML;
  }

  private static SmsValidationException syntax(JsonProcessingException e, Format format) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new SmsValidationException("configuration", "is not valid " + format + where + ": " + e.getOriginalMessage());
  }

  private static RoutingConfiguration convert(JsonNode root, Format format, NumberCheck check) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new SmsValidationException("configuration", "is empty");
    }
    requireObject("configuration", root);
    checkKeys("", root, ROOT_KEYS);
    RoutingConfiguration.Builder config = RoutingConfiguration.builder();
    JsonNode providers = root.get("providers");
    if (providers != null && !providers.isNull()) {
      requireObject("providers", providers);
      for (Iterator<Map.Entry<String, JsonNode>> it = providers.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String path = "providers[" + e.getKey() + "]";
        requireObject(path, e.getValue());
        checkKeys(path + ".", e.getValue(), PROVIDER_KEYS);
        Boolean answers = bool(path + ".answersKeywords", e.getValue().get("answersKeywords"));
        Checks.code(path, e.getKey());
        config.providerAnswersKeywords(e.getKey(), answers != null && answers);
      }
    }
    JsonNode mappings = root.get("mappings");
    if (mappings == null || mappings.isNull()) {
      throw new SmsValidationException("mappings", "is required");
    }
    if (!mappings.isArray()) {
      throw new SmsValidationException("mappings", "must be a list of mappings, not " + type(mappings));
    }
    for (int i = 0; i < mappings.size(); i++) {
      config.addMapping(mapping(i, mappings.get(i), check));
    }
    return config.build();
  }

  @SuppressWarnings("removal")
  private static Mapping mapping(int index, JsonNode node, NumberCheck check) {
    requireObject("mappings[" + index + "]", node);
    String code = string("mappings[" + index + "].code", node.get("code"));
    Checks.code("mappings[" + index + "].code", code);
    String path = "mappings[" + code.strip() + "]";
    checkKeys(path + ".", node, MAPPING_KEYS);
    Mapping.Builder b = Mapping.builder(code).numberCheck(check)
        .description(string(path + ".description", node.get("description")))
        .provider(string(path + ".provider", node.get("provider")))
        .defaultCountry(string(path + ".defaultCountry", node.get("defaultCountry")))
        .webhookPath(string(path + ".webhookPath", node.get("webhookPath"))); // refused by build(), with why
    String providerType = string(path + ".providerType", node.get("providerType"));
    if (providerType != null) {
      try {
        b.providerType(ProviderType.valueOf(providerType.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new SmsValidationException(path + ".providerType",
            "must be SMPP, TWILIO, EUM or OTHER: '" + Checks.abbreviate(providerType) + "'");
      }
    }
    String delivery = string(path + ".delivery", node.get("delivery"));
    if (delivery != null) {
      try {
        b.delivery(Delivery.valueOf(delivery.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new SmsValidationException(path + ".delivery", "must be QUEUE or CONTACT_FLOW, or FLEX (module sms-twilio-flex): '" + Checks.abbreviate(delivery) + "'");
      }
    }
    JsonNode flex = node.get("flex");
    if (flex != null && !flex.isNull()) {
      requireObject(path + ".flex", flex);
      checkKeys(path + ".flex.", flex, FLEX_KEYS);
      b.flex(new FlexRouting(string(path + ".flex.workspaceSid", flex.get("workspaceSid")),
          string(path + ".flex.workflowSid", flex.get("workflowSid")), string(path + ".flex.taskChannel", flex.get("taskChannel")),
          string(path + ".flex.conversationServiceSid", flex.get("conversationServiceSid"))));
    }
    Duration ttl = duration(path + ".originatorTtl", node.get("originatorTtl"));
    if (ttl != null) {
      b.originatorTtl(ttl);
    }
    JsonNode chat = node.get("chatControl");
    if (chat != null && !chat.isNull()) {
      b.chatControl(chatControl(path + ".chatControl", chat));
    }
    JsonNode replies = node.get("replies");
    if (replies != null && !replies.isNull()) {
      requireObject(path + ".replies", replies);
      checkKeys(path + ".replies.", replies, REPLY_KEYS);
      String help = string(path + ".replies.help", replies.get("help"));
      String optOut = string(path + ".replies.optOut", replies.get("optOut"));
      String optIn = string(path + ".replies.optIn", replies.get("optIn"));
      if (help != null) {
        b.helpReply(help);
      }
      if (optOut != null) {
        b.optOutReply(optOut);
      }
      if (optIn != null) {
        b.optInReply(optIn);
      }
    }
    forEachKeyword(path + ".keywords", node.get("keywords"), b::keyword);
    JsonNode numbers = node.get("numbers");
    if (numbers != null && !numbers.isNull()) {
      if (!numbers.isArray()) {
        throw new SmsValidationException(path + ".numbers", "must be a list of business numbers, not " + type(numbers));
      }
      for (int i = 0; i < numbers.size(); i++) {
        b.addNumber(number(path + ".numbers[" + i + "]", numbers.get(i)));
      }
    }
    return b.build();
  }

  private static ChatControl.Builder chatControl(String path, JsonNode node) {
    requireObject(path, node);
    checkKeys(path + ".", node, CHAT_KEYS);
    ChatControl.Builder b = ChatControl.builder();
    Boolean suppress = bool(path + ".suppressSystemMessages", node.get("suppressSystemMessages"));
    if (suppress != null) {
      b.suppressSystemMessages(suppress);
    }
    Duration idle = duration(path + ".idleTimeout", node.get("idleTimeout"));
    if (idle != null) {
      b.idleTimeout(idle);
    }
    Duration accept = duration(path + ".agentAcceptTimeout", node.get("agentAcceptTimeout"));
    if (accept != null) {
      b.agentAcceptTimeout(accept);
    }
    Duration chat = duration(path + ".chatDuration", node.get("chatDuration"));
    if (chat != null) {
      b.chatDuration(chat);
    }
    String s;
    if ((s = string(path + ".idleTimeoutMessage", node.get("idleTimeoutMessage"))) != null) {
      b.idleTimeoutMessage(s);
    }
    if ((s = string(path + ".maxChatsMessage", node.get("maxChatsMessage"))) != null) {
      b.maxChatsMessage(s);
    }
    if ((s = string(path + ".agentJoinedMessage", node.get("agentJoinedMessage"))) != null) {
      b.agentJoinedMessage(s);
    }
    if ((s = string(path + ".agentLeftMessage", node.get("agentLeftMessage"))) != null) {
      b.agentLeftMessage(s);
    }
    if ((s = string(path + ".endedMessage", node.get("endedMessage"))) != null) {
      b.endedMessage(s);
    }
    return b;
  }

  private static BusinessNumber.Builder number(String path, JsonNode node) {
    requireObject(path, node);
    checkKeys(path + ".", node, NUMBER_KEYS);
    JsonNode raw = node.get("number");
    String number;
    if (raw != null && raw.isIntegralNumber()) {
      // YAML reads an unquoted +14155550100 as the integer 14155550100, losing the plus: only short codes may be
      // written as bare numbers.
      number = raw.asText();
      if (number.length() > 8) {
        throw new SmsValidationException(path + ".number",
            "must be a quoted string (YAML reads an unquoted phone number as an integer and drops the +): " + number.length()
                + " digits");
      }
    } else {
      number = string(path + ".number", raw);
    }
    BusinessNumber.Builder b = BusinessNumber.builder()
        .number(number)
        .displayName(string(path + ".displayName", node.get("displayName")))
        .queue(string(path + ".queue", node.get("queue")))
        .contactFlowId(string(path + ".contactFlowId", node.get("contactFlowId")))
        .connectPhoneNumberArn(string(path + ".connectPhoneNumberArn", node.get("connectPhoneNumberArn")));
    JsonNode rate = node.get("partsPerSecond");
    if (rate != null && !rate.isNull()) {
      if (!rate.isNumber()) {
        throw new SmsValidationException(path + ".partsPerSecond",
            "must be a number of SMS parts a second, not " + type(rate));
      }
      b.partsPerSecond(rate.doubleValue());
    }
    forEachKeyword(path + ".keywords", node.get("keywords"), b::keyword);
    return b;
  }

  private interface KeywordSink {
    Object add(String keyword, String reply);
  }

  private static void forEachKeyword(String path, JsonNode node, KeywordSink sink) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isArray()) {
      throw new SmsValidationException(path, "must be a list of {keyword, reply}, not " + type(node));
    }
    for (int i = 0; i < node.size(); i++) {
      String kp = path + "[" + i + "]";
      JsonNode k = node.get(i);
      requireObject(kp, k);
      checkKeys(kp + ".", k, KEYWORD_KEYS);
      String keyword = string(kp + ".keyword", k.get("keyword"));
      String reply = string(kp + ".reply", k.get("reply"));
      sink.add(Checks.required(kp + ".keyword", keyword), Checks.required(kp + ".reply", reply));
    }
  }

  private static void requireObject(String path, JsonNode node) {
    if (!node.isObject()) {
      throw new SmsValidationException(path, "must be an object, not " + type(node));
    }
  }

  private static void checkKeys(String prefix, JsonNode node, Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new SmsValidationException(prefix + key,
            "is not a known setting (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
  }

  private static String string(String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isValueNode() || node.isBinary()) {
      throw new SmsValidationException(path, "must be a text value, not " + type(node));
    }
    return node.asText();
  }

  private static Boolean bool(String path, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    throw new SmsValidationException(path, "must be true or false: '" + Checks.abbreviate(node.asText()) + "'");
  }

  /** Reads {@code 90s}, {@code 10m}, {@code 24h}, {@code 7d}, {@code 500ms} or ISO-8601 ({@code PT10M}). */
  static Duration duration(String path, JsonNode node) {
    String text = string(path, node);
    if (text == null) {
      return null;
    }
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE_DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new SmsValidationException(path,
          "is not a duration (write 90s, 10m, 24h, 7d or ISO-8601 like PT10M): '" + Checks.abbreviate(text) + "'");
    }
  }

  private static String type(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT, POJO -> "an object";
      case BOOLEAN -> "a boolean";
      case NUMBER -> "a number";
      case STRING -> "a text";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
