package dev.smsgateway.store;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import java.time.Instant;
import java.util.Objects;

/**
 * The exchange between one customer number and one business number, handled by a target, with a lifecycle: it opens
 * {@link State#QUEUED} or {@link State#ASSIGNED}, and ends once ({@link State#ENDED}). At most one conversation per
 * (customer, business number) is open at a time.
 *
 * <p>Every change makes a copy with {@link #version()} one higher; stores use the version for optimistic updates.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id our id
 * @param customer the customer's number
 * @param business our business number
 * @param mappingCode the code of the mapping the business number belongs to
 * @param state where it stands
 * @param target who handles it: the assigned agent, or the queue or contact flow it waits in
 * @param openedAt when it opened
 * @param lastActivityAt the last message either way (drives the idle timeout)
 * @param endedAt when it ended, or null
 * @param endReason why it ended, or null
 * @param version starts at 1, one higher on each change
 */
public record Conversation(String id, PhoneNumber customer, Originator business, String mappingCode, State state,
    RouteTarget target, Instant openedAt, Instant lastActivityAt, Instant endedAt, EndReason endReason, long version) {

  /** Lifecycle states. Immutable and thread-safe. */
  public enum State {
    /** Waiting in a queue (or contact flow) for an agent. */
    QUEUED,
    /** An agent has it. */
    ASSIGNED,
    /** Over; a new message opens a new conversation. */
    ENDED
  }

  /** Why a conversation ended. Immutable and thread-safe. */
  public enum EndReason {
    /** The agent ended it. */
    AGENT,
    /** The customer ended it. */
    CUSTOMER,
    /** Nobody wrote for the idle timeout. */
    IDLE_TIMEOUT,
    /** The customer opted out. */
    OPT_OUT,
    /** The application or the library ended it. */
    SYSTEM
  }

  /** Checks required fields. */
  public Conversation {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(customer, "customer == null");
    Objects.requireNonNull(business, "business == null");
    Objects.requireNonNull(state, "state == null");
    Objects.requireNonNull(target, "target == null");
    Objects.requireNonNull(openedAt, "openedAt == null");
    Objects.requireNonNull(lastActivityAt, "lastActivityAt == null");
    if (version < 1) {
      throw new IllegalArgumentException("version < 1: " + version);
    }
    if ((state == State.ENDED) != (endedAt != null)) {
      throw new IllegalArgumentException("endedAt must be set exactly when the state is ENDED");
    }
  }

  /** A new conversation, version 1. */
  public static Conversation open(String id, PhoneNumber customer, Originator business, String mappingCode,
      RouteTarget target, Instant now) {
    State state = target instanceof RouteTarget.Agent ? State.ASSIGNED : State.QUEUED;
    return new Conversation(id, customer, business, mappingCode, state, target, now, now, null, null, 1);
  }

  /** Whether it has not ended. */
  public boolean isOpen() {
    return state != State.ENDED;
  }

  /** A copy assigned to {@code agentId}. */
  public Conversation assignedTo(String agentId, Instant now) {
    return new Conversation(id, customer, business, mappingCode, State.ASSIGNED, new RouteTarget.Agent(agentId),
        openedAt, now, null, null, version + 1);
  }

  /** A copy moved back to a queue (or flow) to wait. */
  public Conversation queuedAt(RouteTarget queue, Instant now) {
    return new Conversation(id, customer, business, mappingCode, State.QUEUED, queue, openedAt, now, null, null,
        version + 1);
  }

  /** A copy with the last activity at {@code now}. */
  public Conversation touched(Instant now) {
    return new Conversation(id, customer, business, mappingCode, state, target, openedAt, now, endedAt, endReason,
        version + 1);
  }

  /** A copy that ended at {@code now}. */
  public Conversation ended(EndReason reason, Instant now) {
    return new Conversation(id, customer, business, mappingCode, State.ENDED, target, openedAt, lastActivityAt, now,
        Objects.requireNonNull(reason, "reason == null"), version + 1);
  }
}
