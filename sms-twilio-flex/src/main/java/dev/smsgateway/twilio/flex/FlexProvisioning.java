package dev.smsgateway.twilio.flex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.conversations.v1.AddressConfiguration;
import com.twilio.rest.conversations.v1.service.configuration.Webhook;
import com.twilio.rest.taskrouter.v1.workspace.Workflow;
import dev.smsgateway.Originator;
import dev.smsgateway.routing.FlexRouting;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.twilio.SingleAttemptHttpClient;
import dev.smsgateway.twilio.flex.ProvisioningReport.Finding;
import dev.smsgateway.twilio.flex.ProvisioningReport.State;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import java.util.Objects;

/**
 * Checks, and on request creates, what a {@code FLEX} mapping needs in the Twilio account (what the
 * console would otherwise be clicked for):
 * <ol>
 *   <li><b>workflow filter</b>: the mapping's workflow has a filter whose target matches the requesting worker,
 *       {@code task.targetWorkerPhone == worker.phone} ({@link Target#PHONE}, workers carry a {@code phone} attribute)
 *       or {@code task.targetWorkerSid == worker.sid} ({@link Target#WORKER_SID}). Created as the workflow's first
 *       filter ({@code targetWorkerPhone != null} or {@code targetWorkerSid != null}), targeting the queue of its
 *       default filter;
 *   <li><b>address configuration</b>: the business number's Conversations address configuration (type {@code sms})
 *       auto-creates conversations in the mapping's Conversations service. Created when there is none; one for another
 *       service, disabled, or handing messages to Studio or a webhook is a conflict, left unchanged;
 *   <li><b>service webhook</b>: the service's post-event webhook is the application's
 *       {@link FlexConversationsWebhook} URL and includes {@code onConversationAdded}. The filter is added when the URL
 *       is already this one or none is set; another URL is a conflict, left unchanged.
 * </ol>
 * Nothing is ever deleted or overwritten: a conflict is reported for a person to resolve.
 *
 * <p>Thread-safe (each call reads and writes Twilio; two concurrent {@code create} runs may both add the filter).
 */
public final class FlexProvisioning {

  /** How the workflow filter matches the task to its worker. */
  public enum Target {
    /** {@code task.targetWorkerPhone == worker.phone}: each worker has a {@code phone} attribute. */
    PHONE("targetWorkerPhone", "task.targetWorkerPhone == worker.phone"),
    /** {@code task.targetWorkerSid == worker.sid}. */
    WORKER_SID("targetWorkerSid", "task.targetWorkerSid == worker.sid");

    final String attribute;
    final String expression;

    Target(String attribute, String expression) {
      this.attribute = attribute;
      this.expression = expression;
    }

    /** The target worker expression. */
    public String expression() {
      return expression;
    }
  }

  static final String WORKFLOW_FILTER = "workflow filter";
  static final String ADDRESS = "address configuration";
  static final String WEBHOOK = "service webhook";
  static final String EVENT = "onConversationAdded";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TwilioRestClient client;
  private final FlexRouting flex;
  private final Mapping mapping;

  /**
   * @param client a Twilio client on a {@link SingleAttemptHttpClient}
   * @param mapping a FLEX mapping
   */
  public FlexProvisioning(TwilioRestClient client, Mapping mapping) {
    this.client = Objects.requireNonNull(client, "client == null");
    if (!(client.getHttpClient() instanceof SingleAttemptHttpClient)) {
      throw new IllegalArgumentException("client must use a SingleAttemptHttpClient");
    }
    this.mapping = Objects.requireNonNull(mapping, "mapping == null");
    this.flex = mapping.flex().orElseThrow(() -> new IllegalArgumentException("mapping " + mapping.code()
        + " is not a FLEX mapping"));
  }

  /**
   * Checks the set-up for {@code number}, creating what is missing when {@code create} is true.
   *
   * @param number one of the mapping's numbers
   * @param webhookUrl the public URL of the application's {@link FlexConversationsWebhook}
   * @param target how tasks are matched to workers
   * @param create whether to create what is missing
   * @throws FlexDeliveryException when Twilio refuses a read or a write (naming which)
   */
  public ProvisioningReport check(Originator number, URI webhookUrl, Target target, boolean create) {
    Objects.requireNonNull(target, "target == null");
    Objects.requireNonNull(webhookUrl, "webhookUrl == null");
    if (mapping.number(Objects.requireNonNull(number, "number == null")).isEmpty()) {
      throw new IllegalArgumentException(number + " is not a number of mapping " + mapping.code());
    }
    List<Finding> findings = new ArrayList<>();
    findings.add(workflowFilter(target, create));
    findings.add(addressConfiguration(number, create));
    findings.add(serviceWebhook(webhookUrl, create));
    return new ProvisioningReport(findings);
  }

  private Finding workflowFilter(Target target, boolean create) {
    Workflow w = call("read workflow", () -> Workflow.fetcher(flex.workspaceSid(), flex.workflowSid()).fetch(client));
    JsonNode config;
    try {
      config = JSON.readTree(w.getConfiguration() == null ? "" : w.getConfiguration());
    } catch (JsonProcessingException e) {
      config = null;
    }
    if (config == null || !config.isObject()) {
      return new Finding(WORKFLOW_FILTER, State.UNREADABLE, "workflow " + flex.workflowSid()
          + " has a configuration that is not JSON; add a filter with target expression '" + target.expression
          + "' in the console");
    }
    if (hasTarget(config, target.expression)) {
      return new Finding(WORKFLOW_FILTER, State.OK, "workflow " + flex.workflowSid() + " targets '" + target.expression
          + "'");
    }
    if (!create) {
      return new Finding(WORKFLOW_FILTER, State.MISSING, "workflow " + flex.workflowSid() + " has no filter targeting '"
          + target.expression + "'");
    }
    String updated = withTargetFilter(config, target);
    if (updated == null) {
      return new Finding(WORKFLOW_FILTER, State.MISSING, "workflow " + flex.workflowSid() + " has no default filter"
          + " queue to target; add a filter with target expression '" + target.expression + "' in the console");
    }
    updateWorkflow(updated);
    return new Finding(WORKFLOW_FILTER, State.CREATED, "added filter '" + target.attribute + " != null' targeting '"
        + target.expression + "' to workflow " + flex.workflowSid());
  }

  void updateWorkflow(String configuration) {
    call("update workflow", () -> Workflow.updater(flex.workspaceSid(), flex.workflowSid())
        .setConfiguration(configuration).update(client));
  }

  /** Whether any filter of {@code config} has a target with {@code expression} (spaces ignored). */
  static boolean hasTarget(JsonNode config, String expression) {
    String wanted = expression.replace(" ", "");
    for (JsonNode filter : config.path("task_routing").path("filters")) {
      for (JsonNode t : filter.path("targets")) {
        if (t.path("expression").asText("").replace(" ", "").equals(wanted)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code config} with the target filter first, on its default filter's queue; null when it has no queue. */
  static String withTargetFilter(JsonNode config, Target target) {
    ObjectNode copy = config.deepCopy();
    ObjectNode routing = copy.with("task_routing");
    String queue = routing.path("default_filter").path("queue").asText(null);
    if (queue == null || queue.isBlank()) {
      return null;
    }
    ObjectNode filter = JSON.createObjectNode();
    filter.put("filter_friendly_name", "Target worker (sms-gateway)");
    filter.put("expression", target.attribute + " != null");
    ObjectNode t = filter.putArray("targets").addObject();
    t.put("queue", queue);
    t.put("expression", target.expression);
    ArrayNode filters = JSON.createArrayNode().add(filter);
    if (routing.path("filters").isArray()) {
      filters.addAll((ArrayNode) routing.get("filters"));
    }
    routing.set("filters", filters);
    try {
      return JSON.writeValueAsString(copy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Finding addressConfiguration(Originator number, boolean create) {
    for (AddressConfiguration a : call("read address configurations", () -> AddressConfiguration.reader()
        .setType("sms").read(client))) {
      if (!number.address().equals(a.getAddress())) {
        continue;
      }
      JsonNode auto = JSON.valueToTree(a.getAutoCreation());
      boolean enabled = auto.path("enabled").asBoolean(false);
      String type = auto.path("type").asText("");
      String service = auto.path("conversation_service_sid").asText("");
      if (enabled && type.equals("default") && service.equals(flex.conversationServiceSid())) {
        return new Finding(ADDRESS, State.OK, number + " auto-creates conversations in " + service);
      }
      return new Finding(ADDRESS, State.CONFLICT, "address configuration " + a.getSid() + " of " + number
          + " is " + (enabled ? "enabled" : "disabled") + ", type " + type + ", service "
          + (service.isEmpty() ? "(default)" : service) + "; expected enabled, type default, service "
          + flex.conversationServiceSid());
    }
    if (!create) {
      return new Finding(ADDRESS, State.MISSING, number + " has no Conversations address configuration");
    }
    AddressConfiguration created = call("create address configuration", () -> AddressConfiguration
        .creator(AddressConfiguration.Type.SMS, number.address())
        .setFriendlyName("sms-gateway " + mapping.code())
        .setAutoCreationEnabled(true)
        .setAutoCreationType(AddressConfiguration.AutoCreationType.DEFAULT)
        .setAutoCreationConversationServiceSid(flex.conversationServiceSid())
        .create(client));
    return new Finding(ADDRESS, State.CREATED, "address configuration " + created.getSid() + " for " + number
        + " in service " + flex.conversationServiceSid());
  }

  private Finding serviceWebhook(URI url, boolean create) {
    Webhook w = call("read service webhook", () -> Webhook.fetcher(flex.conversationServiceSid()).fetch(client));
    String current = w.getPostWebhookUrl() == null ? "" : w.getPostWebhookUrl().toString();
    List<String> filters = w.getFilters() == null ? List.of() : w.getFilters();
    if (!current.isEmpty() && !current.equals(url.toString())) {
      return new Finding(WEBHOOK, State.CONFLICT, "service " + flex.conversationServiceSid()
          + " posts events to another URL (" + current + ")");
    }
    if (current.equals(url.toString()) && filters.contains(EVENT)) {
      return new Finding(WEBHOOK, State.OK, "service " + flex.conversationServiceSid() + " posts " + EVENT + " here");
    }
    if (!create) {
      return new Finding(WEBHOOK, State.MISSING, "service " + flex.conversationServiceSid() + " does not post " + EVENT
          + " to " + url);
    }
    List<String> wanted = new ArrayList<>(filters);
    if (!wanted.contains(EVENT)) {
      wanted.add(EVENT);
    }
    call("update service webhook", () -> Webhook.updater(flex.conversationServiceSid()).setPostWebhookUrl(url.toString())
        .setFilters(wanted).setMethod("POST").update(client));
    return new Finding(WEBHOOK, State.CREATED, "service " + flex.conversationServiceSid() + " now posts " + EVENT
        + " to " + url);
  }

  private static <T> T call(String step, java.util.function.Supplier<T> request) {
    try {
      return request.get();
    } catch (com.twilio.exception.ApiException e) {
      throw new FlexDeliveryException(step, e.getStatusCode() == null ? 0 : e.getStatusCode(), "", e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new FlexDeliveryException(step, 0, "", e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "FlexProvisioning{mapping=" + mapping.code() + "}";
  }

}
