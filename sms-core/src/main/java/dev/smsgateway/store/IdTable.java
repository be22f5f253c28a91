package dev.smsgateway.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A hash table of objects that carry their own id string and its hash ({@link IndexEntry#id}), at most one per id, for
 * the in-memory conversation store's index by conversation id. Laid out as {@link LongKeyTable} is (open addressing,
 * linear probing, the object its own slot, tombstones cleared by rebuilds), so that an opening allocates no node and
 * growing the table copies references and reads each entry's stored hash, where a {@code ConcurrentHashMap} makes
 * new nodes.
 *
 * <p>Thread-safe: reads take no lock (slots are read with acquire and written with release semantics, so a read that
 * starts after a write returns sees it); writes hold the table's monitor; a rebuild fills a new array and then
 * publishes it, and the old array is never written again. {@link #values} is weakly consistent, as a
 * {@code ConcurrentHashMap}'s views are: it sees every entry stored before it started and not removed since.
 */
final class IdTable<E extends IndexEntry> {

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
  /** A removed entry's slot: probing goes past it, an insertion may reuse it. */
  private static final Object TOMBSTONE = new Object();
  private static final int INITIAL_SLOTS = 16;

  private volatile Object[] slots = new Object[INITIAL_SLOTS];
  /** Live entries; guarded by this. */
  private int live;
  /** Live entries and tombstones; guarded by this. */
  private int used;

  /** The entry of {@code id}, or null. */
  @SuppressWarnings("unchecked")
  E get(String id) {
    int hash = id.hashCode();
    Object[] s = slots;
    int mask = s.length - 1;
    for (int i = index(hash, s.length); ; i = (i + 1) & mask) {
      Object o = SLOTS.getAcquire(s, i);
      if (o == null) {
        return null;
      }
      if (o != TOMBSTONE && matches((IndexEntry) o, id, hash)) {
        return (E) o;
      }
    }
  }

  /** Stores {@code entry} unless its id has one; returns the entry already stored, or null. */
  synchronized E putIfAbsent(E entry) {
    E existing = get(entry.id);
    if (existing == null) {
      put(entry);
    }
    return existing;
  }

  /** The entry of {@code id}, made by {@code make} and stored if there is none. */
  E computeIfAbsent(String id, Function<String, E> make) {
    E existing = get(id);
    if (existing != null) {
      return existing;
    }
    synchronized (this) {
      existing = get(id);
      if (existing != null) {
        return existing;
      }
      E made = make.apply(id);
      put(made);
      return made;
    }
  }

  /** Stores {@code entry}, in place of the entry of the same id if there is one. */
  synchronized void put(E entry) {
    Object[] s = slots;
    int mask = s.length - 1;
    int free = -1;
    for (int i = index(entry.idHash, s.length); ; i = (i + 1) & mask) {
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
      } else if (matches((IndexEntry) o, entry.id, entry.idHash)) {
        SLOTS.setRelease(s, i, entry);
        return;
      }
    }
  }

  /** Removes {@code entry} if it is the one stored under its id. */
  synchronized boolean remove(E entry) {
    Object[] s = slots;
    int mask = s.length - 1;
    for (int i = index(entry.idHash, s.length); ; i = (i + 1) & mask) {
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

  /** The entries, in no particular order (weakly consistent, see the class comment). */
  @SuppressWarnings("unchecked")
  List<E> values() {
    Object[] s = slots;
    List<E> found = new ArrayList<>();
    for (int i = 0; i < s.length; i++) {
      Object o = SLOTS.getAcquire(s, i);
      if (o != null && o != TOMBSTONE) {
        found.add((E) o);
      }
    }
    return found;
  }

  /** The number of entries. */
  synchronized int size() {
    return live;
  }

  private static boolean matches(IndexEntry e, String id, int hash) {
    return e.idHash == hash && (e.id == id || e.id.equals(id));
  }

  /** A new array holding the live entries of {@code old}, published when full. */
  private void rebuild(Object[] old) {
    int length = live * 4 > old.length ? old.length * 2 : old.length;
    Object[] s = new Object[length];
    int mask = length - 1;
    for (Object o : old) {
      if (o != null && o != TOMBSTONE) {
        int i = index(((IndexEntry) o).idHash, length);
        while (s[i] != null) {
          i = (i + 1) & mask;
        }
        s[i] = o;
      }
    }
    used = live;
    slots = s; // volatile: the filled array is visible to every read that gets it
  }

  /** Fibonacci hashing of the string hash: its top bits after the multiplication depend on all of its bits. */
  private static int index(int hash, int length) {
    return (hash * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(length));
  }
}
