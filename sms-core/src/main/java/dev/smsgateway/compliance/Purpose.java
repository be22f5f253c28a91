package dev.smsgateway.compliance;

/**
 * Why a message is sent, which decides the consent it needs: a {@link #TRANSACTIONAL} message (an answer, a
 * notification about the customer's own business) needs no recorded consent but is stopped by an opt-out; a
 * {@link #MARKETING} message needs live, recorded consent.
 */
public enum Purpose {
  /** Answers, notifications, reminders about the customer's own dealings with the business. */
  TRANSACTIONAL,
  /** Promotions and offers: sent only with the customer's live consent. */
  MARKETING
}
