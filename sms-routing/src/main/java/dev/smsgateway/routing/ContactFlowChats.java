package dev.smsgateway.routing;

import dev.smsgateway.InboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.route.RouteDecision;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The service's side of contact flows (Amazon Connect) both ways: an inbound message becomes a chat contact in its
 * flow (waited for, so that a failure makes the provider deliver the message again), an agent's outbound message on a
 * Connect-owned number starts an outbound chat; and the contact of each conversation, to link the next one to it.
 * Thread-safe.
 */
final class ContactFlowChats {

  private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(20);

  private final ContactFlowDelivery flows;
  private final Map<String, String> contactIds = new ConcurrentHashMap<>();

  ContactFlowChats(ContactFlowDelivery flows) {
    this.flows = flows;
  }

  /** @throws SmsConfigurationException when the service has no {@link ContactFlowDelivery} */
  ContactFlowDelivery require(Mapping mapping) {
    if (flows == null) {
      throw new SmsConfigurationException("mapping " + (mapping == null ? "?" : mapping.code())
          + " delivers to a contact flow, but the ConversationService has no ContactFlowDelivery");
    }
    return flows;
  }

  /** Starts the outbound chat of an agent's message from a Connect-owned number; completes with the contact id. */
  CompletableFuture<String> startOutbound(String agent, Mapping mapping, BusinessNumber number, PhoneNumber customer,
      String text, String idempotencyKey) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(RoutingEngine.ATTR_CUSTOMER_NUMBER, customer.e164());
    attributes.put(RoutingEngine.ATTR_BUSINESS_NUMBER, number.number().address());
    attributes.put(RoutingEngine.ATTR_BUSINESS_NAME, number.displayName());
    attributes.put(RoutingEngine.ATTR_MAPPING, mapping.code());
    attributes.put(RoutingEngine.ATTR_ORIGINATING_AGENT, agent);
    attributes.put(RoutingEngine.ATTR_ORIGINAL_TEXT, text);
    return require(mapping).startOutboundChat(OutboundChat.builder()
        .contactFlowId(number.contactFlowId().orElseThrow())
        .sourcePhoneNumberArn(number.connectPhoneNumberArn().orElseThrow())
        .customer(customer)
        .initialSystemMessage(text)
        .attributes(attributes)
        .clientToken(idempotencyKey)
        .displayName(number.displayName())
        .build());
  }

  /** Hands an inbound message to its flow and waits for the contact. Throws so that the provider redelivers. */
  void deliver(RouteDecision.ToContactFlow flow, InboundSms sms, Mapping mapping) {
    ContactFlowDelivery delivery = require(mapping);
    InboundChat chat = InboundChat.builder()
        .contactFlowId(flow.contactFlowId())
        .customer(sms.from())
        .business(sms.to())
        .text(sms.body())
        .attributes(flow.attributes())
        // The same message delivered again (after a failure here) must not start a second contact.
        .clientToken(ContactLimits.truncate("sms:" + sms.provider() + ":" + sms.providerMessageId(),
            ContactLimits.MAX_CLIENT_TOKEN))
        .relatedContactId(contactIds.get(flow.conversationId()))
        .build();
    try {
      // Waited for on purpose: the provider must not be told the message was taken before the flow has it.
      String contactId = delivery.startChat(chat).get(FLOW_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      contactIds.put(flow.conversationId(), contactId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SmsTransportException("interrupted while starting a contact flow chat", null, null, true, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof SmsException se ? se
          : new SmsTransportException("contact flow delivery failed: " + cause, null, null, true, cause);
    } catch (TimeoutException e) {
      throw new SmsTransportException("contact flow delivery timed out after " + FLOW_TIMEOUT, null, null, true, e);
    }
  }

  /** The conversation's latest contact. */
  void link(String conversationId, String contactId) {
    contactIds.put(conversationId, contactId);
  }

  /** The conversation ended. */
  void forget(String conversationId) {
    contactIds.remove(conversationId);
  }
}
