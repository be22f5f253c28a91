package dev.smsgateway.compliance;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends the gateway's acceptances, sends, failures and delivery reports to the audit log. Later events of a message
 * carry the conversation id its acceptance had. Runs on the gateway's threads; a store failure is logged, never
 * thrown.
 *
 * <p>Thread-safe.
 */
final class AuditingListener implements GatewayListener {

  private static final int REMEMBERED = 10_000;

  private final Compliance compliance;
  // The customer and conversation of recently accepted messages, so that their send and reports need no audit read;
  // a message accepted before a restart (or evicted) is looked up in the audit log instead.
  private final Map<String, Known> recent = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
      return size() > REMEMBERED;
    }
  };

  private record Known(PhoneNumber customer, String conversationId) {}

  AuditingListener(Compliance compliance) {
    this.compliance = compliance;
  }

  void remember(String messageId, PhoneNumber customer, String conversationId) {
    synchronized (recent) {
      recent.put(messageId, new Known(customer, conversationId));
    }
  }

  private Known known(String messageId) {
    synchronized (recent) {
      Known k = recent.get(messageId);
      if (k != null) {
        return k;
      }
    }
    PhoneNumber customer = null;
    String conversation = null;
    for (AuditEvent e : compliance.auditLog().forMessage(messageId)) {
      customer = customer == null ? e.customer() : customer;
      conversation = conversation == null ? e.conversationId() : conversation;
    }
    Known k = new Known(customer, conversation);
    remember(messageId, customer, conversation);
    return k;
  }

  @Override
  public void onAccepted(String messageId, OutboundSms sms) {
    PhoneNumber to = PhoneNumber.isE164(sms.to()) ? PhoneNumber.of(sms.to()) : null;
    remember(messageId, to, sms.attributes().get(Compliance.ATTR_CONVERSATION_ID));
    compliance.audit(AuditEvent.Type.ACCEPTED, compliance.clock().instant(), to, sms.from().orElse(null),
        sms.attributes().get(Compliance.ATTR_CONVERSATION_ID), messageId, sms.purpose().name(),
        sms.attributes().containsKey(Compliance.ATTR_AGENT_ID) ? "agent " + sms.attributes().get(Compliance.ATTR_AGENT_ID)
            : sms.keywordReply() ? "keyword reply" : "application send");
  }

  @Override
  public void onSent(SendReceipt receipt) {
    Known k = known(receipt.messageId());
    compliance.audit(AuditEvent.Type.SENT, receipt.acceptedAt(), k.customer(), null, k.conversationId(),
        receipt.messageId(), "SENT",
        "provider " + receipt.provider() + ", " + receipt.parts() + " part(s)");
  }

  @Override
  public void onFailed(String messageId, SmsException error) {
    Known k = known(messageId);
    compliance.audit(AuditEvent.Type.FAILED, compliance.clock().instant(), k.customer(), null, k.conversationId(),
        messageId, Compliance.refusalCode(error), error.getMessage());
  }

  @Override
  public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
    String id = report.messageId().orElse(null);
    Known k = id == null ? new Known(null, null) : known(id);
    compliance.audit(AuditEvent.Type.DELIVERY_REPORT, report.occurredAt(), k.customer(), null, k.conversationId(), id,
        merged.name(),
        "provider " + report.provider() + " reported " + report.status()
            + report.errorCode().map(c -> " (code " + c + ")").orElse(""));
  }
}
