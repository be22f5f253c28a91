package dev.smsgateway.twilio.flex;

import dev.smsgateway.PhoneNumber;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Flex agent as TaskRouter and Conversations know them.
 *
 * <p>Immutable and thread-safe.
 *
 * @param workerSid the TaskRouter worker, {@code WK} + 32 hex digits; the originator record's agent id
 * @param identity the agent's Conversations identity (the author of the messages they send), 1-256 characters
 * @param phone the worker's {@code phone} attribute when the workflow matches on {@code task.targetWorkerPhone ==
 *     worker.phone}; null when it matches on the worker SID
 */
public record FlexWorker(String workerSid, String identity, PhoneNumber phone) {

  private static final Pattern WORKER_SID = Pattern.compile("WK[0-9a-fA-F]{32}");

  /** Checks the SID's shape and the identity. */
  public FlexWorker {
    Objects.requireNonNull(workerSid, "workerSid == null");
    if (!WORKER_SID.matcher(workerSid).matches()) {
      throw new IllegalArgumentException("workerSid is not a TaskRouter worker SID (WK followed by 32 hex digits): '"
          + (workerSid.length() > 40 ? workerSid.substring(0, 40) + "..." : workerSid) + "'");
    }
    Objects.requireNonNull(identity, "identity == null");
    if (identity.isBlank() || identity.length() > 256) {
      throw new IllegalArgumentException("identity must be 1-256 characters, not blank: " + identity.length());
    }
  }

  /** A worker matched by SID. */
  public static FlexWorker of(String workerSid, String identity) {
    return new FlexWorker(workerSid, identity, null);
  }

  /** The worker's phone attribute, when given. */
  public Optional<PhoneNumber> phoneAttribute() {
    return Optional.ofNullable(phone);
  }

  @Override
  public String toString() {
    return "FlexWorker{" + workerSid + "}";
  }
}
