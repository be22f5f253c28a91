package dev.smsgateway.connect.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsRejectedException;
import dev.smsgateway.SmsThrottledException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the SMS of an agent's Amazon Connect Task: the Task's flow invokes this function, which reads the contact
 * flow event, sends {@code Description} to the number in {@code Name} from the business number, and writes the
 * originator record that routes the customer's reply back to the agent ({@link ReplyLookupHandler}).
 *
 * <p>Handler name: {@code dev.smsgateway.connect.lambda.TaskOriginationHandler::handleRequest}.
 *
 * <p>What it reads from {@code Details}:
 * <ul>
 *   <li>{@code ContactData.Name}: the customer's number, as the agent typed it; E.164 is taken as is, anything else
 *       is normalized in the mapping's {@code defaultCountry}.</li>
 *   <li>{@code ContactData.Description}: the text.</li>
 *   <li>the business number: the block's parameter {@code businessNumber}, else the contact attribute
 *       {@code businessNumber}, else {@code ContactData.SystemEndpoint.Address}. It must be a number of the routing
 *       configuration; its mapping gives the country, the provider and the originator record's TTL.</li>
 *   <li>the agent: the segment attribute {@code connect:CreatedByUser} (the agent ARN Connect records on a task an
 *       agent created), else the parameter or attribute {@code agentUserName}, else {@code agentId}.</li>
 *   <li>{@code ContactData.ContactId}: the send's idempotency key ({@code connect-task:<ContactId>}), so that a
 *       retried invocation (Connect's, or Lambda's) sends nothing more and answers with the first send's id.</li>
 * </ul>
 *
 * <p>The originator record is written before the send (a reply can only follow a send, and a send whose record
 * could not be written would route the reply to a queue), and removed again when the send failed for certain.
 *
 * <p>The result is flat: {@code status} ({@code SENT}, {@code FAILED}, or {@code UNKNOWN} when the provider's
 * answer did not come in time or the send may have gone out), {@code messageId}, {@code errorCode} and {@code error}
 * (empty when sent); a retried event answers the first send's {@code messageId}. Bad events never throw out of the
 * handler: they are a {@code FAILED} result with one of the error codes {@code INVALID_EVENT},
 * {@code MISSING_NAME}, {@code MISSING_DESCRIPTION}, {@code MISSING_BUSINESS_NUMBER},
 * {@code UNKNOWN_BUSINESS_NUMBER}, {@code INVALID_NUMBER}, {@code MISSING_AGENT}; a refused send is
 * {@code OPTED_OUT}, {@code INVALID_MESSAGE}, {@code REJECTED}, {@code THROTTLED} or {@code TRANSPORT}; a store
 * failure {@code STORE_ERROR}.
 *
 * <p>Thread-safe; Lambda runs one event at a time per container.
 */
public final class TaskOriginationHandler implements RequestStreamHandler {

  private static final Logger log = LoggerFactory.getLogger(TaskOriginationHandler.class);

  static final String IDEMPOTENCY_PREFIX = "connect-task:";
  /** The keys of every result, in order. */
  static final java.util.List<String> RESULT_KEYS = java.util.List.of("status", "messageId", "errorCode", "error");

  private final SmsGateway gateway;
  private final OriginatorStore originators;
  private final BusinessNumbers numbers;
  private final Clock clock;
  private final Duration sendTimeout;

  /** The constructor Lambda calls: everything from the environment, checked now (the cold start). */
  public TaskOriginationHandler() {
    this(LambdaResources.fromEnvironment());
  }

  /**
   * A handler on {@code resources}; builds and starts its gateway now.
   *
   * @throws dev.smsgateway.SmsConfigurationException naming the variable when the provider cannot be built
   */
  public TaskOriginationHandler(LambdaResources resources) {
    Objects.requireNonNull(resources, "resources == null");
    this.gateway = resources.gateway();
    this.originators = resources.originatorStore();
    this.numbers = resources.numbers();
    this.clock = resources.clock();
    this.sendTimeout = resources.settings().sendTimeout();
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
    Duration timeout = sendTimeout;
    if (context != null && context.getRemainingTimeInMillis() > 0) {
      // Answer before Lambda ends the invocation: keep 300 ms for writing the result.
      timeout = Duration.ofMillis(Math.max(100, Math.min(sendTimeout.toMillis(),
          context.getRemainingTimeInMillis() - 300L)));
    }
    FlatResult.write(handle(input, timeout), output);
  }

  /** Handles one event, waiting up to {@value LambdaSettings#SEND_TIMEOUT} for the provider; never throws. */
  public Map<String, String> handle(InputStream event) {
    return handle(event, sendTimeout);
  }

  private Map<String, String> handle(InputStream event, Duration timeout) {
    JsonNode root = FlatResult.read(event);
    if (root == null || !root.isObject()) {
      return failed("INVALID_EVENT", "the event is not a JSON object");
    }
    try {
      return originate(ContactFlowEvent.of(root), timeout);
    } catch (RuntimeException e) {
      // A store or a bug: answer anyway, so that the flow takes its error branch instead of a Lambda error.
      log.warn("task origination failed", e);
      return failed("STORE_ERROR", "could not originate: " + e.getClass().getSimpleName());
    }
  }

  private Map<String, String> originate(ContactFlowEvent event, Duration timeout) {
    if (event.contactId() == null) {
      return failed("INVALID_EVENT", "Details.ContactData.ContactId is missing: not a Connect contact flow event");
    }
    if (event.name() == null) {
      return failed("MISSING_NAME", "the task's Name (the customer's number) is empty");
    }
    if (event.description() == null) {
      return failed("MISSING_DESCRIPTION", "the task's Description (the text to send) is empty");
    }
    Optional<String> businessRaw = event.parameterOrAttribute("businessNumber")
        .or(() -> Optional.ofNullable(event.systemAddress()));
    if (businessRaw.isEmpty()) {
      return failed("MISSING_BUSINESS_NUMBER", "no business number: set the parameter businessNumber on the"
          + " function block");
    }
    Optional<BusinessNumbers.Entry> entry = numbers.find(businessRaw.get());
    if (entry.isEmpty()) {
      return failed("UNKNOWN_BUSINESS_NUMBER", "business number " + PhoneNumbers.mask(businessRaw.get())
          + " is not in the routing configuration");
    }
    Mapping mapping = entry.get().mapping();
    PhoneNumber customer;
    try {
      String raw = event.name().strip();
      // E.164 is taken as is: no libphonenumber call on that path.
      customer = PhoneNumber.isE164(raw) ? PhoneNumber.of(raw)
          : PhoneNumbers.normalize(raw, mapping.defaultCountry(), "Name");
    } catch (SmsValidationException e) {
      return failed("INVALID_NUMBER", "the task's Name is not a phone number: " + e.getMessage());
    }
    Optional<String> agent = agentOf(event);
    if (agent.isEmpty()) {
      return failed("MISSING_AGENT", "no agent: the task carries no connect:CreatedByUser, and the block sets no"
          + " agentUserName parameter");
    }

    Instant now = clock.instant();
    OriginatorRecord record = OriginatorRecord.of(customer, entry.get().number().number(), agent.get(),
        event.description(), null, now, mapping.originatorTtl());
    originators.put(record);

    OutboundSms sms = OutboundSms.builder().to(customer).from(entry.get().number().number())
        .body(event.description()).provider(mapping.provider()).defaultRegion(mapping.defaultCountry())
        .idempotencyKey(IDEMPOTENCY_PREFIX + event.contactId()).build();
    CompletableFuture<SendReceipt> send = gateway.send(sms);
    try {
      SendReceipt receipt = send.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      // duplicateOf: a retry that another container's send answered (this container's retries get the same receipt)
      boolean duplicate = receipt.details().containsKey("duplicateOf");
      log.info("task {}: SMS {} to {} from {} for agent {}{}", event.contactId(), receipt.messageId(), customer,
          record.business(), agent.get(), duplicate ? " (retried event; sent before)" : "");
      return result("SENT", receipt.messageId(), "", "");
    } catch (TimeoutException e) {
      return result("UNKNOWN", "", "TIMEOUT", "no answer from the provider within " + timeout + "; the SMS may"
          + " still go out (a retry of this contact sends nothing more)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return result("UNKNOWN", "", "TIMEOUT", "interrupted while waiting for the provider");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (!(cause instanceof SmsException sms1)) {
        throw new IllegalStateException("send failed", cause);
      }
      if (sms1.possiblyDelivered()) {
        return result("UNKNOWN", "", "TRANSPORT", sms1.getMessage());
      }
      removeIfOurs(record);
      log.info("task {}: SMS to {} not sent: {}", event.contactId(), customer, sms1.getMessage());
      return failed(code(sms1), sms1.getMessage());
    }
  }

  private static Optional<String> agentOf(ContactFlowEvent event) {
    if (event.createdByUser() != null) {
      String arn = event.createdByUser();
      int slash = arn.lastIndexOf("/agent/");
      // Keep the user id: DescribeUser reads it back into the ARN and user name.
      return Optional.of(slash > 0 ? arn.substring(slash + "/agent/".length()) : arn);
    }
    return event.parameterOrAttribute("agentUserName").or(() -> event.parameterOrAttribute("agentId"));
  }

  private void removeIfOurs(OriginatorRecord record) {
    try {
      Optional<OriginatorRecord> stored = originators.find(record.customer(), record.business());
      if (stored.isPresent() && stored.get().agentId().equals(record.agentId())
          && stored.get().createdAt().equals(record.createdAt())) {
        originators.remove(record.customer(), record.business());
      }
    } catch (RuntimeException e) {
      log.warn("could not remove the originator record of a failed send; it expires at {}", record.expiresAt(), e);
    }
  }

  private static String code(SmsException e) {
    if (e instanceof SmsOptedOutException) {
      return "OPTED_OUT";
    }
    if (e instanceof SmsValidationException) {
      return "INVALID_MESSAGE";
    }
    if (e instanceof SmsThrottledException) {
      return "THROTTLED";
    }
    if (e instanceof SmsRejectedException) {
      return "REJECTED";
    }
    return "TRANSPORT";
  }

  private static Map<String, String> failed(String code, String message) {
    return result("FAILED", "", code, message);
  }

  private static Map<String, String> result(String status, String messageId, String code, String error) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("status", status);
    out.put("messageId", messageId);
    out.put("errorCode", code);
    out.put("error", error);
    return out;
  }
}
