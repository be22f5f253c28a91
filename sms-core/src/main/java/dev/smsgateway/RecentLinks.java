package dev.smsgateway;

import dev.smsgateway.store.ProviderLink;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provider ids of the messages this gateway recorded lately, so that their delivery reports find their message
 * without reading the store: a link never changes once its record is committed ({@code recordSent}), so remembering
 * it after the commit answers exactly what the store would. Bounded (the oldest entries go first); a report for a
 * message sent by another instance, or sent long ago, is looked up in the store as before. Thread-safe.
 */
final class RecentLinks {

  private final int capacity;
  private final Map<String, ProviderLink> links;

  RecentLinks(int capacity) {
    this.capacity = capacity;
    this.links = new LinkedHashMap<>(Math.min(capacity, 4096) * 2, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, ProviderLink> eldest) {
        return size() > RecentLinks.this.capacity;
      }
    };
  }

  /** Remembers that {@code linkProvider} knows part {@code i} of {@code messageId} as {@code ids.get(i)}. */
  void remember(String linkProvider, List<String> ids, String messageId) {
    synchronized (links) {
      for (int i = 0; i < ids.size(); i++) {
        links.put(key(linkProvider, ids.get(i)), new ProviderLink(messageId, i));
      }
    }
  }

  /** The link remembered for this provider id, or null. */
  ProviderLink find(String linkProvider, String providerMessageId) {
    String key = key(linkProvider, providerMessageId);
    synchronized (links) {
      return links.get(key);
    }
  }

  private static String key(String linkProvider, String providerMessageId) {
    return linkProvider + '\u0000' + providerMessageId;
  }
}
