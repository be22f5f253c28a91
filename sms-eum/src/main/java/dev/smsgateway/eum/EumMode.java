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
   * AWS End User Messaging SMS numbers imported into Amazon Connect: inbound messages go to Connect, and agent
   * conversations go out through Connect (module sms-connect). This provider still sends the application's system
   * messages (notifications, confirmations) with {@code SendTextMessage}.
   */
  EUM_CONNECT
}
