package dev.smsgateway.twilio.flex;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.twilio.TwilioWebhookSignature;
import dev.smsgateway.twilio.WebhookResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A stateful stand-in for what the Conversations service does with a customer's SMS to a number on an address
 * configuration (https://www.twilio.com/docs/conversations/inbound-autocreation):
 * <ul>
 *   <li>an active conversation whose SMS participant is that customer on that proxy address receives the message;
 *       no service webhook fires for a conversation that already exists;
 *   <li>otherwise (no conversation, or only closed ones: a closed conversation takes no new messages) a new active
 *       conversation is created with the customer as SMS participant and the message in it, and the service's
 *       post-event webhook gets {@code onConversationAdded} with {@code MessagingBinding.Address} and
 *       {@code MessagingBinding.ProxyAddress}, form-encoded and signed with the auth token as Twilio signs it.
 * </ul>
 * Conversations close when Flex wraps them up ({@link #close}); they keep their messages.
 *
 * <p>Thread-safe (every method synchronized).
 */
final class ConversationsStandIn {

  /** One conversation. */
  static final class Conversation {
    final String sid;
    final PhoneNumber customer;
    final String proxyAddress;
    String state = "active";
    final List<String> messages = new ArrayList<>();

    Conversation(String sid, PhoneNumber customer, String proxyAddress) {
      this.sid = sid;
      this.customer = customer;
      this.proxyAddress = proxyAddress;
    }
  }

  /** What a customer's SMS did: the conversation it landed in, and the webhook's answer when one fired. */
  record Received(String conversationSid, boolean created, WebhookResponse webhook, Map<String, List<String>> headers,
      byte[] body) {}

  private final String accountSid;
  private final String serviceSid;
  private final String webhookUrl;
  private final TwilioWebhookSignature signer;
  private final Function<Received, WebhookResponse> webhook;
  private final Clock clock;
  private final Map<String, Conversation> conversations = new LinkedHashMap<>();
  private final AtomicLong ids = new AtomicLong(0x5000);

  /**
   * @param webhook receives the signed request (headers and body in {@link Received}) and answers as the application's
   *     HTTP endpoint would
   */
  ConversationsStandIn(String accountSid, String serviceSid, String authToken, String webhookUrl, Clock clock,
      Function<Received, WebhookResponse> webhook) {
    this.accountSid = accountSid;
    this.serviceSid = serviceSid;
    this.webhookUrl = webhookUrl;
    this.signer = TwilioWebhookSignature.of(List.of(authToken));
    this.clock = clock;
    this.webhook = webhook;
  }

  /** Registers a conversation the Interactions API created (active, with its SMS participant). */
  synchronized void opened(String conversationSid, PhoneNumber customer, Originator business) {
    conversations.put(conversationSid, new Conversation(conversationSid, customer, business.address()));
  }

  /** Closes it, as Flex does when the agent wraps the task up. */
  synchronized void close(String conversationSid) {
    conversations.get(conversationSid).state = "closed";
  }

  synchronized Optional<Conversation> conversation(String sid) {
    return Optional.ofNullable(conversations.get(sid));
  }

  /** The customer's SMS {@code text} to {@code business}. */
  Received customerSends(PhoneNumber customer, Originator business, String text) {
    Conversation target;
    synchronized (this) {
      target = conversations.values().stream().filter(c -> c.state.equals("active") && c.customer.equals(customer)
          && c.proxyAddress.equals(business.address())).findFirst().orElse(null);
      if (target != null) {
        target.messages.add(text);
        return new Received(target.sid, false, null, Map.of(), new byte[0]);
      }
      String sid = "CH" + HexFormat.of().toHexDigits(ids.incrementAndGet()) + "0".repeat(16);
      target = new Conversation(sid, customer, business.address());
      target.messages.add(text);
      conversations.put(sid, target);
    }
    List<Map.Entry<String, String>> params = List.of(
        Map.entry("AccountSid", accountSid),
        Map.entry("ChatServiceSid", serviceSid),
        Map.entry("ConversationSid", target.sid),
        Map.entry("EventType", "onConversationAdded"),
        Map.entry("DateCreated", clock.instant().toString()),
        Map.entry("State", "active"),
        Map.entry("Attributes", "{}"),
        Map.entry("Source", "SMS"),
        Map.entry("RetryCount", "0"),
        Map.entry("WebhookSid", "WH" + "0".repeat(32)),
        Map.entry("WebhookType", "webhook"),
        Map.entry("MessagingBinding.Address", customer.e164()),
        Map.entry("MessagingBinding.ProxyAddress", business.address()));
    byte[] body = form(params).getBytes(StandardCharsets.UTF_8);
    Map<String, List<String>> headers = Map.of(
        "Content-Type", List.of("application/x-www-form-urlencoded; charset=UTF-8"),
        "X-Twilio-Signature", List.of(signer.sign(webhookUrl, params)),
        "I-Twilio-Idempotency-Token", List.of(target.sid + "-onConversationAdded"));
    Received r = new Received(target.sid, true, null, headers, body);
    return new Received(target.sid, true, webhook.apply(r), headers, body);
  }

  static String form(List<Map.Entry<String, String>> params) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> p : params) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }
}
