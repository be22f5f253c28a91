package dev.smsgateway.store;

/**
 * A hash table of objects that carry their own {@code long} key ({@link IndexEntry#key}), at most one per key, for the
 * in-memory stores' indexes by customer digits; laid out and thread-safe as {@link EntryTable} says.
 */
final class LongKeyTable<E extends IndexEntry> extends EntryTable<E> {

  /** The entry of {@code key}, or null. */
  @SuppressWarnings("unchecked")
  E get(long key) {
    Object[] s = slots;
    int mask = s.length - 1;
    for (int i = index(key, s.length); ; i = (i + 1) & mask) {
      Object o = SLOTS.getAcquire(s, i);
      if (o == null) {
        return null;
      }
      if (o != TOMBSTONE && ((IndexEntry) o).key == key) {
        return (E) o;
      }
    }
  }

  @Override
  int home(IndexEntry e, int length) {
    return index(e.key, length);
  }

  @Override
  boolean sameKey(IndexEntry a, IndexEntry b) {
    return a.key == b.key;
  }

  /** Fibonacci hashing: the top bits of the product, which depend on all of the key's digits. */
  private static int index(long key, int length) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(length)));
  }
}
