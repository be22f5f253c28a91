package dev.smsgateway.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A hash table of objects that carry their own id string and its hash ({@link IndexEntry#id}), at most one per id, for
 * the in-memory conversation store's index by conversation id; laid out and thread-safe as {@link EntryTable} says, so
 * that an opening allocates no node and growing the table copies references and reads each entry's stored hash, where
 * a {@code ConcurrentHashMap} makes new nodes. {@link #values} is weakly consistent, as a {@code ConcurrentHashMap}'s
 * views are: it sees every entry stored before it started and not removed since.
 */
final class IdTable<E extends IndexEntry> extends EntryTable<E> {

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

  /** Removes {@code entry} if it is the one stored under its id. */
  boolean remove(E entry) {
    return removeExactly(entry);
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

  private static boolean matches(IndexEntry e, String id, int hash) {
    return e.idHash == hash && (e.id == id || e.id.equals(id));
  }

  @Override
  int home(IndexEntry e, int length) {
    return index(e.idHash, length);
  }

  @Override
  boolean sameKey(IndexEntry a, IndexEntry b) {
    return matches(a, b.id, b.idHash);
  }

  /** Fibonacci hashing of the string hash: its top bits after the multiplication depend on all of its bits. */
  private static int index(int hash, int length) {
    return (hash * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(length));
  }
}
