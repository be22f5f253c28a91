/**
 * Email-to-SMS: agents text customers by email, and customers' replies are emailed back to them.
 *
 * <p>{@link dev.smsgateway.email.EmailOrigination} turns an email (From = an agent, To = a business number's mailbox,
 * Subject = the customer's number, body = the text) into {@code ConversationService.startOutbound}. Sources:
 * {@link dev.smsgateway.email.SesSnsWebhookHandler} and {@link dev.smsgateway.email.SesSnsLambdaHandler} for Amazon SES
 * receipt rules publishing to SNS, {@link dev.smsgateway.email.ImapMailboxSource} for an IMAP mailbox. Replies:
 * {@link dev.smsgateway.email.EmailOrigination#replyListener} through {@link dev.smsgateway.email.SmtpEmailSender} or
 * {@link dev.smsgateway.email.SesEmailSender}.
 *
 * <pre>{@code
 * EmailOrigination email = EmailOrigination.builder()
 *     .conversations(conversationService)
 *     .mailboxes(EmailMailboxes.builder().mailbox("sms+support@example.com", "+14155550100").build())
 *     .agents(EmailAgentResolver.allowList(Map.of("alice@example.com", "alice")))
 *     .replySender(SmtpEmailSender.builder().host("smtp.example.com").build())
 *     .build();
 * }</pre>
 *
 * <p>Amazon SES email receiving: https://docs.aws.amazon.com/ses/latest/dg/receiving-email.html; notification contents:
 * https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html; SES API v2 SendEmail:
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html; IMAP IDLE: RFC 2177; Authentication-Results:
 * RFC 8601; automatic responses: RFC 3834.
 */
package dev.smsgateway.email;
