package dev.smsgateway.spring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.routing.RoutingConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;

/**
 * Builds the {@link RoutingConfiguration} from {@code sms.routing.*}: either the file {@code sms.routing.config} or the
 * mappings bound from properties. The mappings are handed to the library's own reader (as the JSON tree of the routing
 * file), so every check and message is the library's; the paths in its messages ({@code mappings[sales].numbers[0]})
 * are turned back into property names ({@code sms.routing.mappings[0].numbers[0]}).
 *
 * <p>Stateless and thread-safe.
 */
final class RoutingConfigurations {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Pattern MAPPING_PATH = Pattern.compile("^mappings\\[([^\\]]*)\\]");
  private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{9,}");

  private RoutingConfigurations() {}

  static RoutingConfiguration from(SmsProperties.Routing routing) {
    if (routing.getConfig() != null && !routing.getMappings().isEmpty()) {
      throw new SmsPropertyException("sms.routing.config",
          "and sms.routing.mappings are both set: give the routing file or the mappings, not both", null);
    }
    if (routing.getConfig() != null) {
      return fromFile(routing.getConfig());
    }
    ObjectNode root = JSON.objectNode();
    if (!routing.getProviders().isEmpty()) {
      ObjectNode providers = root.putObject("providers");
      routing.getProviders().forEach((name, p) -> {
        ObjectNode node = providers.putObject(name);
        if (p.getAnswersKeywords() != null) {
          node.put("answersKeywords", p.getAnswersKeywords());
        }
      });
    }
    ArrayNode mappings = root.putArray("mappings");
    List<RoutingMappingProperties> list = routing.getMappings();
    for (int i = 0; i < list.size(); i++) {
      mappings.add(mapping("sms.routing.mappings[" + i + "]", list.get(i)));
    }
    try {
      return RoutingConfiguration.parseJson(root.toString());
    } catch (SmsValidationException e) {
      throw new SmsPropertyException(propertyName(e.field(), list), problem(e), e);
    }
  }

  private static RoutingConfiguration fromFile(Resource resource) {
    String name = resource.getFilename() == null ? "" : resource.getFilename().toLowerCase(Locale.ROOT);
    String text;
    try (InputStream in = resource.getInputStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SmsPropertyException("sms.routing.config", "cannot be read: " + resource.getDescription(), e);
    }
    try {
      return name.endsWith(".json") ? RoutingConfiguration.parseJson(text) : RoutingConfiguration.parseYaml(text);
    } catch (SmsValidationException e) {
      throw new SmsPropertyException("sms.routing.config", "(" + resource.getDescription() + "): " + e.getMessage(),
          e);
    }
  }

  private static ObjectNode mapping(String prefix, RoutingMappingProperties m) {
    ObjectNode node = JSON.objectNode();
    put(node, "code", m.getCode());
    put(node, "description", m.getDescription());
    put(node, "provider", m.getProvider());
    put(node, "defaultCountry", m.getDefaultCountry());
    put(node, "delivery", m.getDelivery());
    put(node, "originatorTtl", m.getOriginatorTtl());
    put(node, "providerType", m.getProviderType());
    RoutingMappingProperties.ChatControl c = m.getChatControl();
    if (c != null) {
      ObjectNode chat = node.putObject("chatControl");
      if (c.getSuppressSystemMessages() != null) {
        chat.put("suppressSystemMessages", c.getSuppressSystemMessages());
      }
      put(chat, "idleTimeout", c.getIdleTimeout());
      put(chat, "agentAcceptTimeout", c.getAgentAcceptTimeout());
      put(chat, "idleTimeoutMessage", c.getIdleTimeoutMessage());
      put(chat, "maxChatsMessage", c.getMaxChatsMessage());
      put(chat, "agentJoinedMessage", c.getAgentJoinedMessage());
      put(chat, "agentLeftMessage", c.getAgentLeftMessage());
      put(chat, "endedMessage", c.getEndedMessage());
    }
    RoutingMappingProperties.Replies r = m.getReplies();
    if (r != null) {
      ObjectNode replies = node.putObject("replies");
      put(replies, "help", r.getHelp());
      put(replies, "optOut", r.getOptOut());
      put(replies, "optIn", r.getOptIn());
    }
    keywords(node, m.getKeywords());
    if (!m.getNumbers().isEmpty()) {
      ArrayNode numbers = node.putArray("numbers");
      for (int i = 0; i < m.getNumbers().size(); i++) {
        RoutingMappingProperties.Number n = m.getNumbers().get(i);
        String number = n.getNumber();
        if (number != null && DIGITS.matcher(number.strip()).matches()) {
          // YAML reads an unquoted +14155550100 as the integer 14155550100: the plus is gone before we see it.
          throw new SmsPropertyException(prefix + ".numbers[" + i + "].number", "must be quoted in YAML (\"+1415...\"):"
              + " an unquoted phone number is read as an integer and loses its +", null);
        }
        ObjectNode num = numbers.addObject();
        put(num, "number", number);
        put(num, "displayName", n.getDisplayName());
        put(num, "queue", n.getQueue());
        put(num, "contactFlowId", n.getContactFlowId());
        put(num, "connectPhoneNumberArn", n.getConnectPhoneNumberArn());
        if (n.getPartsPerSecond() != null) {
          num.put("partsPerSecond", n.getPartsPerSecond());
        }
        keywords(num, n.getKeywords());
      }
    }
    return node;
  }

  private static void keywords(ObjectNode node, List<RoutingMappingProperties.Keyword> keywords) {
    if (keywords.isEmpty()) {
      return;
    }
    ArrayNode list = node.putArray("keywords");
    for (RoutingMappingProperties.Keyword k : keywords) {
      ObjectNode kn = list.addObject();
      put(kn, "keyword", k.getKeyword());
      put(kn, "reply", k.getReply());
    }
  }

  private static void put(ObjectNode node, String key, String value) {
    if (value != null) {
      node.put(key, value);
    }
  }

  private static void put(ObjectNode node, String key, Duration value) {
    if (value != null) {
      node.put(key, value.toString());
    }
  }

  /** {@code mappings[sales].chatControl.idleTimeout} to {@code sms.routing.mappings[0].chat-control.idle-timeout}. */
  static String propertyName(String field, List<RoutingMappingProperties> mappings) {
    if (field == null || field.isBlank() || field.equals("configuration")) {
      return "sms.routing";
    }
    String path = field;
    Matcher m = MAPPING_PATH.matcher(path);
    if (m.find()) {
      String key = m.group(1);
      int index = -1;
      for (int i = 0; i < mappings.size(); i++) {
        String code = mappings.get(i).getCode();
        if (code != null && code.strip().equals(key)) {
          index = i;
          break;
        }
      }
      if (index < 0 && key.chars().allMatch(Character::isDigit) && !key.isEmpty()) {
        index = Integer.parseInt(key);
      }
      path = "mappings[" + (index < 0 ? key : Integer.toString(index)) + "]" + path.substring(m.end());
    }
    return "sms.routing." + kebab(path);
  }

  static String kebab(String name) {
    return CAMEL.matcher(name).replaceAll("$1-$2").toLowerCase(Locale.ROOT);
  }

  private static String problem(SmsValidationException e) {
    String message = e.getMessage();
    String field = e.field();
    return field != null && message.startsWith(field + " ") ? message.substring(field.length() + 1) : message;
  }
}
