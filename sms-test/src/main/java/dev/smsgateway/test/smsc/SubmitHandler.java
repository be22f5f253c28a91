package dev.smsgateway.test.smsc;

/**
 * Decides how the {@link SmscSimulator} answers each {@code submit_sm}; scripts throttling, rejections, late and lost
 * responses.
 *
 * <pre>{@code
 * // throttle every third submit
 * AtomicInteger n = new AtomicInteger();
 * smsc.onSubmit(s -> n.incrementAndGet() % 3 == 0 ? SubmitAction.reject(0x58) : SubmitAction.accept());
 * }</pre>
 *
 * <p>Called on the simulator's PDU threads, possibly several at once: implementations must be thread-safe. An
 * exception thrown here answers the submit with ESME_RSYSERR (0x08).
 */
@FunctionalInterface
public interface SubmitHandler {

  /** The default: accept everything. */
  SubmitHandler ACCEPT_ALL = submit -> SubmitAction.accept();

  /**
   * @param submit what arrived (already recorded when rejected or dropped only if the action says so; see
   *     {@link SmscSimulator#received()})
   * @return what to answer
   */
  SubmitAction onSubmit(ReceivedSubmit submit);
}
