package dev.smsgateway.twilio.flex;

import dev.smsgateway.PhoneNumber;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The conversations each customer had through a {@link FlexDelivery}, newest last: what makes the history long-lived
 * (Flex Flow's {@code LongLived}). Twilio keeps a closed conversation and its messages; every new task carries the
 * SIDs of the customer's earlier ones in its {@code customerHistory} attribute so that the agent's view can show them.
 *
 * <p>In memory, at most {@code limit} conversations a customer and {@value #MAX_CUSTOMERS} customers (the least
 * recently seen forgotten first). Thread-safe.
 */
public final class CustomerHistory {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_CUSTOMERS = 100_000;

  private final int limit;
  private final Map<PhoneNumber, Deque<String>> byCustomer = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<PhoneNumber, Deque<String>> eldest) {
      return size() > MAX_CUSTOMERS;
    }
  };

  /** @param limit conversations kept per customer, 1 or more */
  public CustomerHistory(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    this.limit = limit;
  }

  /** Adds a conversation of {@code customer} (again: moved to the end). */
  public synchronized void add(PhoneNumber customer, String conversationSid) {
    Objects.requireNonNull(conversationSid, "conversationSid == null");
    Deque<String> d = byCustomer.computeIfAbsent(Objects.requireNonNull(customer, "customer == null"),
        c -> new ArrayDeque<>());
    d.remove(conversationSid);
    d.addLast(conversationSid);
    while (d.size() > limit) {
      d.removeFirst();
    }
  }

  /** The customer's conversations, oldest first; empty when none. */
  public synchronized List<String> conversations(PhoneNumber customer) {
    Deque<String> d = byCustomer.get(customer);
    return d == null ? List.of() : List.copyOf(new ArrayList<>(d));
  }
}
