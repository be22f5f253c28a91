package dev.smsgateway.routing;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Items of a contact-flow chat, oldest first ({@link ContactFlowDelivery#itemsAfter}), and the connection in use
 * after reading them (null when it did not change).
 *
 * <p>Immutable and thread-safe.
 *
 * @param items the items
 * @param renewed the renewed connection, or null
 */
public record ChatItems(List<Item> items, ChatConnection renewed) {

  /** Copies the list. */
  public ChatItems {
    items = List.copyOf(Objects.requireNonNull(items, "items == null"));
  }

  /** What an item is. */
  public enum Kind {
    /** A message written by {@link Item#role()}. */
    MESSAGE,
    /** A participant joined. */
    JOINED,
    /** A participant left. */
    LEFT,
    /** The chat ended. */
    ENDED,
    /** Another event (typing, read receipts...): moves the cursor, nothing else. */
    OTHER
  }

  /**
   * One item.
   *
   * @param id the item id (the cursor)
   * @param kind what it is
   * @param role {@code AGENT}, {@code CUSTOMER}, {@code SYSTEM}... or null
   * @param displayName the participant's display name, or null
   * @param text a message's text, else null
   * @param at when it happened
   */
  public record Item(String id, Kind kind, String role, String displayName, String text, Instant at) {

    /** Checks the id and kind. */
    public Item {
      Objects.requireNonNull(id, "id == null");
      Objects.requireNonNull(kind, "kind == null");
    }

    /** Never shows the text. */
    @Override
    public String toString() {
      return "Item{id=" + id + ", kind=" + kind + ", role=" + role + ", textLength="
          + (text == null ? 0 : text.length()) + "}";
    }
  }
}
