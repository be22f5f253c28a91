package dev.smsgateway.events;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The event bus between the instances of a deployment: any instance publishes an event for an agent; the instance
 * the agent is connected to delivers it to its listener. In memory for one JVM ({@link ConversationEventBus#inMemory}),
 * on PostgreSQL with {@code LISTEN/NOTIFY} (sms-store-jdbc) and on DynamoDB with DynamoDB Streams
 * (sms-store-dynamodb).
 * <pre>{@code
 * ConversationEvents events = ConversationEventBus.inMemory();
 * ConversationEvents.Subscription here = events.subscribe("instance-a", event -> desktop.push(event));
 * here.attach("alice");                       // alice's desktop connected to this instance
 * events.publish(ConversationEvent.assigned("alice", conversationId, null, clock.instant()));
 * }</pre>
 *
 * <p>What every implementation promises (the compatibility kit in sms-test checks it):
 * <ul>
 *   <li>an event published is durable when {@link #publish} returns, at the next position of its stream;
 *   <li>each event goes to one subscription, one that has its stream attached, in stream order: a subscription claims
 *       the events it read, atomically in the shared log and for a lease, before its listener is called, and
 *       acknowledges each one after, so no agent receives an event twice, even attached on two instances at once;
 *   <li>events published while no subscription had the stream attached (an instance down or restarting) are
 *       delivered, in order, when one attaches it again, unless they are older than the retention;
 *   <li>events a JVM had claimed but not acknowledged when it died are delivered, in order, by the stream's next
 *       subscription once the claim's lease has passed (the one event whose listener call was running when it died
 *       may then arrive twice; its {@link ConversationEvent#position()} tells);
 *   <li>a subscription receives only the events of the streams attached to it.
 * </ul>
 * Not promised: order between different streams; timeliness while the engine is unreachable (delivery resumes after);
 * a single delivery when a listener call takes longer than the claim lease (another instance's subscription may take
 * over the rest of the batch).
 *
 * <p>Implementations are thread-safe.
 */
public interface ConversationEvents extends AutoCloseable {

  /**
   * Appends {@code event} (position 0) to its stream and wakes the subscription that has the stream attached, on
   * whichever instance that is.
   *
   * @return the event with its position
   */
  ConversationEvent publish(ConversationEvent event);

  /**
   * A new subscription of this instance, with no stream attached yet; {@code listener} receives the events of the
   * streams {@link Subscription#attach attached} to it.
   *
   * @param name names the subscription in logs and thread names (such as the instance's host name)
   */
  Subscription subscribe(String name, ConversationEventListener listener);

  /**
   * Up to {@code limit} stored events of {@code stream} after {@code afterPosition}, in order, whether delivered or
   * not: for a client that reconnects with the last position it saw, or for auditing. Moves no cursor.
   */
  List<ConversationEvent> read(String stream, long afterPosition, int limit);

  /** Deletes the events that happened before {@code cutoff} (retention); returns how many (0 where the engine expires them). */
  int purgeBefore(Instant cutoff);

  /** Stops every subscription of this instance and its background threads. Idempotent. Published events stay. */
  @Override
  void close();

  /**
   * The streams (agents) one instance delivers. Thread-safe.
   */
  interface Subscription extends AutoCloseable {

    /**
     * Starts delivering {@code stream}: first the events published since its cursor (caught up from the log), then new
     * ones as they are published. Attaching an attached stream does nothing.
     */
    void attach(String stream);

    /**
     * Stops delivering {@code stream}; its unclaimed events wait for the next attach, here or elsewhere (a batch
     * already claimed is still delivered here).
     */
    void detach(String stream);

    /** The streams attached now. */
    Set<String> streams();

    /** Detaches everything and stops the delivery thread, after the batch it claimed is delivered. Idempotent. */
    @Override
    void close();
  }
}
