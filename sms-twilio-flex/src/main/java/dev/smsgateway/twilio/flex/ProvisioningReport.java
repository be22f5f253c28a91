package dev.smsgateway.twilio.flex;

import java.util.List;

/**
 * What {@link FlexProvisioning#check} found, one finding per piece of set-up.
 *
 * <p>Immutable and thread-safe.
 *
 * @param findings in the order checked: the workflow filter, the address configuration, the service webhook
 */
public record ProvisioningReport(List<Finding> findings) {

  /** The state of one piece. */
  public enum State {
    /** In place as needed. */
    OK,
    /** Missing; {@code create} was not asked. */
    MISSING,
    /** Was missing and has been created (or completed). */
    CREATED,
    /** Something else is configured there; left unchanged (changing it would break another integration). */
    CONFLICT,
    /** Could not be read (a workflow configuration that is not JSON); left unchanged. */
    UNREADABLE
  }

  /**
   * @param item what was checked, for example {@code workflow filter}
   * @param state what was found or done
   * @param detail the specifics, for an operator
   */
  public record Finding(String item, State state, String detail) {
    @Override
    public String toString() {
      return item + ": " + state + " - " + detail;
    }
  }

  public ProvisioningReport {
    findings = List.copyOf(findings);
  }

  /** Whether everything is in place (each finding {@link State#OK} or {@link State#CREATED}). */
  public boolean complete() {
    return findings.stream().allMatch(f -> f.state() == State.OK || f.state() == State.CREATED);
  }

  /** The finding for {@code item}. */
  public Finding finding(String item) {
    return findings.stream().filter(f -> f.item().equals(item)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no finding for " + item));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Finding f : findings) {
      sb.append(f).append('\n');
    }
    return sb.toString();
  }
}
