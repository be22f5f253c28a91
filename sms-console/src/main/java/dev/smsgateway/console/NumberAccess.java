package dev.smsgateway.console;

import dev.smsgateway.routing.AgentStatus;
import dev.smsgateway.routing.BusinessNumber;

/**
 * Which business numbers an agent may text from (and sees in the console's list). The default,
 * {@link #QUEUE_MEMBERS}, lets an agent use the numbers whose queue they serve.
 *
 * <p>Implementations are called on request threads, concurrently: thread-safe and fast.
 */
@FunctionalInterface
public interface NumberAccess {

  /** Numbers whose skill queue the agent serves (as registered with the conversation service). */
  NumberAccess QUEUE_MEMBERS = (agentId, number, status) ->
      status != null && number.queue().map(q -> status.queues().contains(q)).orElse(false);

  /** Every number of the configuration, to every authenticated agent. */
  NumberAccess ALL = (agentId, number, status) -> true;

  /**
   * Whether the agent may use the number.
   *
   * @param status the agent as registered on this instance, or null when not registered here
   */
  boolean allows(String agentId, BusinessNumber number, AgentStatus status);
}
