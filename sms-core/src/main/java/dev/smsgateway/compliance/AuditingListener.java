package dev.smsgateway.compliance;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsException;

/**
 * Appends the gateway's acceptances, sends, failures and delivery reports to the audit log. Later events of a message
 * carry the conversation id its acceptance had. Runs on the gateway's threads; a store failure is logged, never
 * thrown.
 *
 * <p>Thread-safe.
 */
final class AuditingListener implements GatewayListener {

  private final Compliance compliance;

  AuditingListener(Compliance compliance) {
    this.compliance = compliance;
  }

  @Override
  public void onAccepted(String messageId, OutboundSms sms) {
    PhoneNumber to = PhoneNumber.isE164(sms.to()) ? PhoneNumber.of(sms.to()) : null;
    compliance.audit(AuditEvent.Type.ACCEPTED, compliance.clock().instant(), to, sms.from().orElse(null),
        sms.attributes().get(Compliance.ATTR_CONVERSATION_ID), messageId, sms.purpose().name(),
        sms.attributes().containsKey(Compliance.ATTR_AGENT_ID) ? "agent " + sms.attributes().get(Compliance.ATTR_AGENT_ID)
            : sms.keywordReply() ? "keyword reply" : "application send");
  }

  @Override
  public void onSent(SendReceipt receipt) {
    compliance.audit(AuditEvent.Type.SENT, receipt.acceptedAt(), customerOf(receipt.messageId()), null,
        compliance.conversationOf(receipt.messageId()), receipt.messageId(), "SENT",
        "provider " + receipt.provider() + ", " + receipt.parts() + " part(s)");
  }

  @Override
  public void onFailed(String messageId, SmsException error) {
    compliance.audit(AuditEvent.Type.FAILED, compliance.clock().instant(), customerOf(messageId), null,
        compliance.conversationOf(messageId), messageId, Compliance.refusalCode(error), error.getMessage());
  }

  @Override
  public void onDeliveryReport(DeliveryReport report, DeliveryStatus merged) {
    String id = report.messageId().orElse(null);
    compliance.audit(AuditEvent.Type.DELIVERY_REPORT, report.occurredAt(), id == null ? null : customerOf(id), null,
        id == null ? null : compliance.conversationOf(id), id, merged.name(),
        "provider " + report.provider() + " reported " + report.status()
            + report.errorCode().map(c -> " (code " + c + ")").orElse(""));
  }

  private PhoneNumber customerOf(String messageId) {
    for (AuditEvent e : compliance.auditLog().forMessage(messageId)) {
      if (e.customer() != null) {
        return e.customer();
      }
    }
    return null;
  }
}
