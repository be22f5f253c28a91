/**
 * Store interfaces (originator records, opt-outs, message state, conversations) and their in-memory
 * implementations, each driven by an injected {@link java.time.Clock} so that TTLs are enforced on read and tests
 * can move time. Durable implementations live in {@code sms-store-jdbc} and {@code sms-store-dynamodb}; all pass the
 * compatibility kits in {@code sms-test}.
 *
 * <pre>{@code
 * Clock clock = Clock.systemUTC();
 * OriginatorStore originators = new InMemoryOriginatorStore(clock);
 * originators.put(OriginatorRecord.of(customer, business, "alice", "Your table is ready", messageId,
 *     clock.instant(), Duration.ofHours(24)));
 * originators.find(customer, business);   // empty once 24 h have passed, purged or not
 * }</pre>
 */
package dev.smsgateway.store;
