package dev.smsgateway.routing;

/**
 * Tells the {@link RoutingEngine} whether an originating agent can take a reply. {@link ConversationService} is one;
 * an application with its own agent system can supply another.
 *
 * <p>Implementations are thread-safe and fast (called once per routed reply, on the provider's thread).
 */
@FunctionalInterface
public interface AgentDirectory {

  /** Every agent is {@link Presence#AVAILABLE}: for applications that track presence themselves. */
  AgentDirectory ALL_AVAILABLE = agentId -> Presence.AVAILABLE;

  /** The agent's presence; implementations say what they answer for agents they do not know. */
  Presence presence(String agentId);
}
