package dev.smsgateway.eum;

/**
 * How an {@link EumSmsProvider} reaches AWS, matching the three set-ups an AWS messaging account can have.
 *
 * <p>Immutable and thread-safe.
 */
public enum EumMode {

  /**
   * Legacy Amazon Pinpoint: {@code SendMessages} to a Pinpoint project (application id). Deprecated by AWS: Pinpoint
   * takes no new customers from 2026-05-20 and its console ends after October 2026. Migrate to {@link #EUM_SNS}
   * (the same phone numbers, configuration sets and opt-out lists live in AWS End User Messaging SMS).
   */
  PINPOINT_PROJECT,

  /**
   * AWS End User Messaging SMS ({@code pinpoint-sms-voice-v2}) {@code SendTextMessage}; two-way messages and delivery
   * events arrive through an SNS topic handled by {@link SnsWebhookHandler}.
   */
  EUM_SNS,

  /**
   * AWS End User Messaging SMS numbers linked to Amazon Connect: <b>inbound SMS belong to Connect</b> (the number's
   * two-way channel is the Connect instance, and its inbound flow takes the customer's messages). This provider sends
   * with {@code SendTextMessage} as in {@link #EUM_SNS} (agent-originated texts, whose originator records the caller
   * writes: {@code ConversationService.startOutbound} or sms-connect-lambda's Task handler; and system messages), and
   * SNS carries only the configuration set's delivery events. A two-way SMS that still arrives through SNS is refused
   * by {@link SnsWebhookHandler} with 409 and an error log, because it means the number's two-way channel points at
   * SNS and Connect never sees the reply. Replies reach the originating agent through Connect's inbound flow and
   * sms-connect-lambda's {@code ReplyLookupHandler} ("Set working queue" by agent).
   */
  EUM_CONNECT
}
