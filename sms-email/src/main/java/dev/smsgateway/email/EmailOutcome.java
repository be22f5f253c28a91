package dev.smsgateway.email;

import java.util.Objects;

/**
 * What {@link EmailOrigination#handle} did with an email.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface EmailOutcome {

  /**
   * The text was sent as an SMS (or had been: a redelivered email whose send was already made returns the first
   * send's conversation).
   *
   * @param agentId the agent it was sent for
   * @param conversationId the conversation it opened or continued
   * @param messageId the gateway's message id, or null when Amazon Connect sent it
   */
  record Sent(String agentId, String conversationId, String messageId) implements EmailOutcome {
    /** Checks the fields. */
    public Sent {
      Objects.requireNonNull(agentId, "agentId == null");
      Objects.requireNonNull(conversationId, "conversationId == null");
    }
  }

  /**
   * Nothing was sent; the sender was answered with {@link Refusal#explanation()} unless {@code replied} is false
   * (automatic mail, mail from a mailbox itself, or refusal replies switched off for this reason).
   */
  record Refused(Refusal refusal, boolean replied) implements EmailOutcome {
    /** Checks the fields. */
    public Refused {
      Objects.requireNonNull(refusal, "refusal == null");
    }
  }

  /** This email (by its Message-ID) was already handled; nothing was done again. */
  record Duplicate(String idempotencyKey) implements EmailOutcome {
    /** Checks the fields. */
    public Duplicate {
      Objects.requireNonNull(idempotencyKey, "idempotencyKey == null");
    }
  }
}
