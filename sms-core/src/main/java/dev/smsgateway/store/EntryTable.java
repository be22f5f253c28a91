package dev.smsgateway.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The layout {@link LongKeyTable} and {@link IdTable} share: a hash table of {@link IndexEntry} objects that carry their
 * own key, at most one per key. Open addressing with linear probing: the object is its own slot, so an entry costs one
 * array reference (no node, no boxed key) and a lookup reads the slot and the object it points to, where a
 * {@code ConcurrentHashMap} reads a node between the two. A removal leaves a tombstone; once live entries and
 * tombstones fill half the slots the table is rebuilt, twice as large when live entries fill a quarter, else at the
 * same size without its tombstones.
 *
 * <p>Thread-safe: reads take no lock (slots are read with acquire and written with release semantics, so a read that
 * starts after a write returns sees it); writes hold the table's monitor. A rebuild fills a new array and then
 * publishes it, and the old array is never written again, so a read in progress finishes on the old one, unchanged.
 * Subclasses give the key: where an entry's probing starts ({@link #home}) and when two entries have the same key
 * ({@link #sameKey}); their lookups probe with the key itself, so that a read builds nothing.
 */
abstract class EntryTable<E extends IndexEntry> {

  static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  /** A removed entry's slot: probing goes past it, an insertion may reuse it. */
  static final Object TOMBSTONE = new Object();
  private static final int INITIAL_SLOTS = 16;

  volatile Object[] slots = new Object[INITIAL_SLOTS];
  /** Live entries; guarded by this. */
  private int live;
  /** Live entries and tombstones; guarded by this. */
  private int used;

  /** The slot where probing for {@code e}'s key starts, in a table of {@code length} slots (a power of two). */
  abstract int home(IndexEntry e, int length);

  /** Whether {@code a} and {@code b} have the same key. */
  abstract boolean sameKey(IndexEntry a, IndexEntry b);

  /** Stores {@code entry}, in place of the entry of the same key if there is one. */
  final synchronized void put(E entry) {
    Object[] s = slots;
    int mask = s.length - 1;
    int free = -1;
    for (int i = home(entry, s.length); ; i = (i + 1) & mask) {
      Object o = s[i];
      if (o == null) {
        if (free < 0) {
          free = i;
          used++;
        }
        live++;
        SLOTS.setRelease(s, free, entry);
        if (used * 2 > s.length) {
          rebuild(s);
        }
        return;
      }
      if (o == TOMBSTONE) {
        if (free < 0) {
          free = i;
        }
      } else if (sameKey((IndexEntry) o, entry)) {
        SLOTS.setRelease(s, i, entry);
        return;
      }
    }
  }

  /** Removes {@code entry} if it is the one stored under its key (not a newer one of the same key). */
  final synchronized boolean removeExactly(E entry) {
    Object[] s = slots;
    int mask = s.length - 1;
    for (int i = home(entry, s.length); ; i = (i + 1) & mask) {
      Object o = s[i];
      if (o == null) {
        return false;
      }
      if (o == entry) {
        SLOTS.setRelease(s, i, TOMBSTONE);
        live--;
        return true;
      }
    }
  }

  /** The number of entries. */
  final synchronized int size() {
    return live;
  }

  /** A new array holding the live entries of {@code old}, published when full. */
  private void rebuild(Object[] old) {
    int length = live * 4 > old.length ? old.length * 2 : old.length;
    Object[] s = new Object[length];
    int mask = length - 1;
    for (Object o : old) {
      if (o != null && o != TOMBSTONE) {
        int i = home((IndexEntry) o, length);
        while (s[i] != null) {
          i = (i + 1) & mask;
        }
        s[i] = o;
      }
    }
    used = live;
    slots = s; // volatile: the filled array is visible to every read that gets it
  }
}
