package dev.smsgateway.store.jdbc;

import dev.smsgateway.store.MessageRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message records this store committed lately (sends recorded, reports merged), by message id, at most
 * {@code capacity} (the oldest written is forgotten first). A hint only: a delivery report merges on top of the
 * remembered record with an update conditional on every column still holding it, so a record changed elsewhere (another
 * gateway, a save) makes the update miss and the merge read the row as without the hint. Thread-safe.
 */
final class RecentRecords {

  private final Map<String, MessageRecord> records;

  RecentRecords(int capacity) {
    this.records = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, MessageRecord> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized MessageRecord get(String messageId) {
    return records.get(messageId);
  }

  synchronized void put(MessageRecord record) {
    records.put(record.messageId(), record);
  }

  /** Forgets the record of {@code messageId} if it is still {@code stale}. */
  synchronized void forget(MessageRecord stale) {
    records.remove(stale.messageId(), stale);
  }
}
