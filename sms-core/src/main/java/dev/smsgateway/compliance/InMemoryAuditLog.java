package dev.smsgateway.compliance;

import dev.smsgateway.PhoneNumber;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * {@link AuditLog} in memory: lost on restart, for tests and single-process use.
 *
 * <p>Thread-safe.
 */
public final class InMemoryAuditLog implements AuditLog {

  private final ConcurrentSkipListMap<Long, AuditEvent> events = new ConcurrentSkipListMap<>();

  @Override
  public void append(AuditEvent event) {
    Objects.requireNonNull(event, "event == null");
    events.putIfAbsent(event.sequence(), event);
  }

  @Override
  public List<AuditEvent> forCustomer(PhoneNumber customer) {
    Objects.requireNonNull(customer, "customer == null");
    return select(e -> customer.equals(e.customer()));
  }

  @Override
  public List<AuditEvent> forConversation(String conversationId) {
    Objects.requireNonNull(conversationId, "conversationId == null");
    return select(e -> conversationId.equals(e.conversationId()));
  }

  @Override
  public List<AuditEvent> forMessage(String messageId) {
    Objects.requireNonNull(messageId, "messageId == null");
    return select(e -> messageId.equals(e.messageId()));
  }

  @Override
  public List<AuditEvent> between(Instant from, Instant to) {
    Objects.requireNonNull(from, "from == null");
    Objects.requireNonNull(to, "to == null");
    return select(e -> !e.at().isBefore(from) && e.at().isBefore(to));
  }

  @Override
  public int purgeBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff == null");
    int[] n = {0};
    events.values().removeIf(e -> {
      boolean old = e.at().isBefore(cutoff);
      if (old) {
        n[0]++;
      }
      return old;
    });
    return n[0];
  }

  private List<AuditEvent> select(Predicate<AuditEvent> filter) {
    return events.values().stream().filter(filter).toList();
  }

  @Override
  public String toString() {
    return "InMemoryAuditLog{events=" + events.size() + "}";
  }
}
