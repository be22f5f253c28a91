package dev.smsgateway.connect.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Finds the agent who texted a customer, for the inbound flow of a number Amazon Connect owns (AWS End User
 * Messaging numbers linked to Connect): the flow invokes this function when the customer's SMS arrives, then sets the
 * working queue by agent to {@code agentArn}, the whisper to {@code originalText}, and falls back to
 * {@code queueArn}.
 *
 * <p>Handler name: {@code dev.smsgateway.connect.lambda.ReplyLookupHandler::handleRequest}.
 *
 * <p>It reads {@code ContactData.CustomerEndpoint.Address} (the customer, E.164) and
 * {@code ContactData.SystemEndpoint.Address} (the business number), looks up the live originator record for the
 * two, and resolves the agent it names to a Connect user ARN ({@code DescribeUser} for a user id, {@code SearchUsers}
 * for a user name; cached for {@value LambdaSettings#AGENT_CACHE_TTL}). The instance is
 * {@value LambdaSettings#CONNECT_INSTANCE_ID}, else the event's {@code InstanceARN}.
 *
 * <p>The result is flat, every key always present:
 * <ul>
 *   <li>{@code found}: {@code true} when a live originator record exists (an expired one is not found);</li>
 *   <li>{@code route}: {@code AGENT} when {@code agentArn} is set, else {@code QUEUE};</li>
 *   <li>{@code agentId} (as the record holds it), {@code agentArn}, {@code agentUserName};</li>
 *   <li>{@code originalText}: the agent's text, for the whisper;</li>
 *   <li>{@code queueArn}: the business number's Connect queue ({@value LambdaSettings#CONNECT_QUEUES} by the
 *       number's queue code, else {@value LambdaSettings#CONNECT_DEFAULT_QUEUE}), the fallback when there is no
 *       record, the agent cannot be resolved, or (checked by the flow's "Check staffing") the agent is offline;</li>
 *   <li>{@code errorCode} and {@code error}: empty, or why the route is {@code QUEUE} for a reason other than "no
 *       record": {@code INVALID_EVENT}, {@code MISSING_CUSTOMER}, {@code INVALID_NUMBER},
 *       {@code UNKNOWN_BUSINESS_NUMBER}, {@code NO_INSTANCE}, {@code AGENT_NOT_FOUND}, {@code CONNECT_ERROR},
 *       {@code STORE_ERROR}.</li>
 * </ul>
 * Bad events never throw out of the handler.
 *
 * <p>Thread-safe.
 */
public final class ReplyLookupHandler implements RequestStreamHandler {

  private static final Logger log = LoggerFactory.getLogger(ReplyLookupHandler.class);

  /** The keys of every result, in order. */
  static final java.util.List<String> RESULT_KEYS = java.util.List.of("found", "route", "agentId", "agentArn",
      "agentUserName", "originalText", "queueArn", "errorCode", "error");

  private final OriginatorStore originators;
  private final BusinessNumbers numbers;
  private final ConnectUsers users;
  private final LambdaSettings settings;

  /** The constructor Lambda calls: everything from the environment, checked now (the cold start). */
  public ReplyLookupHandler() {
    this(LambdaResources.fromEnvironment());
  }

  /** A handler on {@code resources}. */
  public ReplyLookupHandler(LambdaResources resources) {
    Objects.requireNonNull(resources, "resources == null");
    this.originators = resources.originatorStore();
    this.numbers = resources.numbers();
    this.users = resources.connectUsers();
    this.settings = resources.settings();
    checkQueues(resources);
  }

  private void checkQueues(LambdaResources resources) {
    if (settings.defaultQueue().isPresent()) {
      return;
    }
    for (var mapping : resources.routing().mappings()) {
      for (var number : mapping.numbers()) {
        String code = number.queue().orElse(null);
        if (code == null || !settings.connectQueues().containsKey(code)) {
          throw new dev.smsgateway.SmsConfigurationException("environment variable "
              + LambdaSettings.CONNECT_QUEUES + " has no queue for business number " + number.number() + " (queue"
              + " code '" + code + "'), and " + LambdaSettings.CONNECT_DEFAULT_QUEUE + " is not set: the lookup"
              + " needs a fallback queue for every number");
        }
      }
    }
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    FlatResult.write(handle(input), output);
  }

  /** Handles one event; never throws for a bad event or a failed lookup. */
  public Map<String, String> handle(InputStream event) {
    Map<String, String> out = empty();
    JsonNode root = FlatResult.read(event);
    if (root == null || !root.isObject()) {
      return error(out, "INVALID_EVENT", "the event is not a JSON object");
    }
    try {
      return lookUp(ContactFlowEvent.of(root), out);
    } catch (RuntimeException e) {
      log.warn("reply lookup failed", e);
      return error(out, "STORE_ERROR", "could not look up the originator: " + e.getClass().getSimpleName());
    }
  }

  private Map<String, String> lookUp(ContactFlowEvent event, Map<String, String> out) {
    Optional<BusinessNumbers.Entry> entry = numbers.find(event.systemAddress());
    out.put("queueArn", queueArn(entry, event.instanceArn()));
    if (event.customerAddress() == null) {
      return error(out, "MISSING_CUSTOMER", "Details.ContactData.CustomerEndpoint.Address is missing");
    }
    if (!PhoneNumber.isE164(event.customerAddress())) {
      return error(out, "INVALID_NUMBER", "CustomerEndpoint.Address is not E.164: "
          + PhoneNumbers.mask(event.customerAddress()));
    }
    if (entry.isEmpty()) {
      return error(out, "UNKNOWN_BUSINESS_NUMBER", "SystemEndpoint.Address " + PhoneNumbers.mask(event.systemAddress())
          + " is not a business number of the routing configuration");
    }
    PhoneNumber customer = PhoneNumber.of(event.customerAddress());
    Optional<OriginatorRecord> record = originators.find(customer, entry.get().number().number());
    if (record.isEmpty()) {
      log.info("contact {}: no live originator record for {} at {}; route to the queue", event.contactId(), customer,
          entry.get().number().number());
      return out;
    }
    OriginatorRecord r = record.get();
    out.put("found", "true");
    out.put("agentId", r.agentId());
    out.put("originalText", r.outboundText() == null ? "" : r.outboundText());
    Optional<String> instance = settings.instanceId().or(event::instanceId);
    if (instance.isEmpty()) {
      return error(out, "NO_INSTANCE", "no Connect instance: set " + LambdaSettings.CONNECT_INSTANCE_ID);
    }
    Optional<ConnectUsers.Agent> agent;
    try {
      agent = users.resolve(instance.get(), r.agentId());
    } catch (SdkException e) {
      log.warn("contact {}: Connect could not resolve agent {} ({})", event.contactId(), r.agentId(),
          e.getClass().getSimpleName());
      return error(out, "CONNECT_ERROR", "Connect could not resolve the agent: " + e.getClass().getSimpleName());
    }
    if (agent.isEmpty()) {
      return error(out, "AGENT_NOT_FOUND", "Connect has no user '" + r.agentId() + "' in instance " + instance.get());
    }
    out.put("agentArn", agent.get().arn());
    out.put("agentUserName", agent.get().username() == null ? "" : agent.get().username());
    out.put("route", "AGENT");
    log.info("contact {}: reply from {} goes to agent {}", event.contactId(), customer, r.agentId());
    return out;
  }

  private String queueArn(Optional<BusinessNumbers.Entry> entry, String instanceArn) {
    String queue = entry.flatMap(e -> e.number().queue()).map(settings.connectQueues()::get)
        .or(settings::defaultQueue).orElse(null);
    if (queue == null) {
      return "";
    }
    if (queue.startsWith("arn:")) {
      return queue;
    }
    // A queue id: its ARN is the instance ARN's child (arn:...:instance/<id>/queue/<queue id>).
    return instanceArn == null ? queue : instanceArn + "/queue/" + queue;
  }

  private static Map<String, String> empty() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("found", "false");
    out.put("route", "QUEUE");
    out.put("agentId", "");
    out.put("agentArn", "");
    out.put("agentUserName", "");
    out.put("originalText", "");
    out.put("queueArn", "");
    out.put("errorCode", "");
    out.put("error", "");
    return out;
  }

  private static Map<String, String> error(Map<String, String> out, String code, String message) {
    out.put("errorCode", code);
    out.put("error", message);
    return out;
  }
}
