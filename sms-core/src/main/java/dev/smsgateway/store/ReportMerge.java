package dev.smsgateway.store;

import java.util.Objects;

/**
 * The result of merging a delivery report into a message record ({@link MessageStore#mergeReport}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param record the record after the merge
 * @param changed whether the merge changed it (false for a duplicate or late report)
 */
public record ReportMerge(MessageRecord record, boolean changed) {

  /** Checks. */
  public ReportMerge {
    Objects.requireNonNull(record, "record == null");
  }
}
