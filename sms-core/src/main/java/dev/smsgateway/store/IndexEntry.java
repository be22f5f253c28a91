package dev.smsgateway.store;

/**
 * What the in-memory conversation store's indexes ({@link LongKeyTable}, {@link IdTable}) hold: an object that carries
 * its keys, fixed at construction: a {@code long} (the customer's digits) and an id string with its hash.
 */
abstract class IndexEntry {
  final long key;
  final String id;
  final int idHash;

  IndexEntry(long key, String id) {
    this.key = key;
    this.id = id;
    this.idHash = id == null ? 0 : id.hashCode();
  }
}
