package dev.smsgateway.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Agent state that several gateway instances share: who is registered (capacity, queues, presence, idle since), the
 * conversations each agent holds (their load), and the offers waiting for an originating agent's accept, with their
 * deadlines. The routing module's {@code ConversationService} keeps its agents here; the default is
 * {@link InMemoryAgentStore} (one instance), the JDBC and DynamoDB modules share it between instances.
 *
 * <p>The waiting queue itself is not here: it is the {@link ConversationStore}'s queued conversations, oldest first,
 * which every instance already shares. This store decides who gets them.
 *
 * <p><b>Load.</b> An agent's load is the set of conversation ids they hold (a "slot" each), not a counter: claiming
 * and releasing the same conversation twice changes nothing, so a retried call never leaks or doubles a slot.
 * {@link #claim} is the only way a queue gives work and never takes an agent above capacity, whichever instance asks
 * and however many ask at once: two instances racing for an agent's last free slot give it to exactly one.
 * {@link #hold} records work the agent took themselves (an outbound message, a reply to it), which may go above
 * capacity, as it always could.
 *
 * <p>Implementations are thread-safe, and atomic per call across every instance sharing the store.
 */
public interface AgentStore {

  /**
   * Registers an agent, or updates a registered agent's capacity and queues (presence, idle time and slots stay). A new
   * agent is {@link AgentRecord#OFFLINE}, idle since {@code now}, holding nothing.
   *
   * @return the agent as now stored
   */
  AgentRecord register(String agentId, int capacity, Set<String> queues, Instant now);

  /** The agent, if registered. */
  Optional<AgentRecord> find(String agentId);

  /** Every registered agent, by id. */
  List<AgentRecord> agents();

  /**
   * Sets the agent's presence; an agent becoming {@link AgentRecord#AVAILABLE} (from another presence) is idle since
   * {@code now}.
   *
   * @return the presence before, or empty if the agent is not registered (nothing changed)
   */
  Optional<String> setPresence(String agentId, String presence, Instant now);

  /** The agent got work or freed a slot: idle since {@code now}. Does nothing for an agent not registered. */
  void touch(String agentId, Instant now);

  /**
   * Gives {@code conversationId} a slot of the longest-idle agent (oldest {@code idleSince}, then smallest id) who is
   * {@link AgentRecord#AVAILABLE}, serves {@code queue}, is below capacity, not in {@code excluded} and whose
   * {@link #renewPresence presence lease}, if they have one, ends after {@code at}; atomic across instances. Idle time is not changed ({@link #touch} once the conversation is theirs).
   *
   * @param at when the slot is claimed (kept with the slot)
   * @return the agent, or empty when nobody can take it
   */
  Optional<String> claim(String queue, String conversationId, Collection<String> excluded, Instant at);

  /**
   * The agent holds {@code conversationId}, whatever their capacity or presence (work they took themselves).
   *
   * @return whether a slot was added (false: already held, or the agent is not registered)
   */
  boolean hold(String agentId, String conversationId, Instant at);

  /**
   * The agent no longer holds {@code conversationId}.
   *
   * @return whether they held it
   */
  boolean release(String agentId, String conversationId);

  /**
   * The agent no longer holds {@code conversationId}, if the slot is still the one claimed at {@code claimedAt} (and
   * not a newer claim of the same conversation): for cleaning up after reading the agent, without racing a claim.
   *
   * @return whether that slot was released
   */
  boolean releaseIfClaimedAt(String agentId, String conversationId, Instant claimedAt);

  // ---------------------------------------------------------------------------------------------------- offers

  /** Stores an offer, replacing any offer of the same conversation. */
  void offer(AgentOffer offer);

  /**
   * Removes the conversation's offer (accepted, answered, ended, moved).
   *
   * @return whether there was one
   */
  boolean withdrawOffer(String conversationId);

  /** The conversation's offer. */
  Optional<AgentOffer> findOffer(String conversationId);

  /**
   * Takes offers whose deadline has come ({@code deadline <= now}), earliest first, at most {@code limit}: each is
   * returned to one caller only, and its deadline moves to {@code now + lease}, so that if the caller dies before it
   * {@link #withdrawOffer withdraws} it, another caller takes it again after the lease. This is how any live instance
   * sweeps the offers of one that crashed, one at a time per conversation.
   */
  List<AgentOffer> takeDueOffers(Instant now, Duration lease, int limit);

  // ---------------------------------------------------------------------------------------------------- presence leases

  /**
   * The instance the agent's desktop is connected to vouches for them until {@code until} (it renews this well
   * before). An agent whose lease ends before it is renewed (their instance died) takes no more work from queues
   * ({@link #claim}) and is {@link #takeLapsedAgents taken} by another instance's sweep. An agent never renewed has no
   * lease and never lapses.
   *
   * @return whether the agent is registered (nothing changed if not)
   */
  boolean renewPresence(String agentId, Instant until);

  /** When the agent's presence lease ends; empty when they have none (never renewed, or taken as lapsed). */
  Optional<Instant> presenceLease(String agentId);

  /**
   * Takes agents whose presence lease ended ({@code until <= now}), earliest first, at most {@code limit}: in one atomic
   * step each is set {@link AgentRecord#OFFLINE} and their lease removed, so each lapse is returned to one caller
   * only, however many instances sweep at once. The caller then releases their open conversations.
   */
  List<String> takeLapsedAgents(Instant now, int limit);
}
