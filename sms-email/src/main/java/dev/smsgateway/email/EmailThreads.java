package dev.smsgateway.email;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The email threads of conversations, keyed by (customer number, business number): which Message-IDs belong to which
 * thread, so that an agent's answer to a reply email continues that conversation, and so that the reply emails
 * thread under the agent's own email. The key is known before the SMS is sent, so a customer's reply that overtakes
 * the send's completion still threads.
 *
 * <p>Our reply emails carry the conversation id in their Message-ID ({@code <sms.<conversation id>.<random>@domain>}),
 * which needs no memory and works on every instance. Where the sending service replaces the Message-ID (SES), and for
 * the agents' own emails, ids are remembered in a bounded in-memory map (the latest {@link #MAX_CONVERSATIONS}
 * threads, {@link #MAX_IDS} ids each). Ids are compared by the part before {@code @}.
 *
 * <p>Thread-safe.
 */
final class EmailThreads {

  static final int MAX_CONVERSATIONS = 10_000;
  static final int MAX_IDS = 10;
  private static final Pattern OURS = Pattern.compile("sms\\.([0-9A-Za-z_-]{1,64})\\.[0-9a-f]{32}");
  private static final Pattern SAFE_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");

  /** A thread: the customer's E.164 number and the business number's address. */
  record Key(String customer, String business) {}

  private final Map<Key, List<String>> idsByThread = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, List<String>> eldest) {
      return size() > MAX_CONVERSATIONS;
    }
  };
  private final Map<String, Key> threadById = new LinkedHashMap<>(256, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Key> eldest) {
      return size() > MAX_CONVERSATIONS * MAX_IDS;
    }
  };

  /** A new Message-ID (without brackets) for a reply email in {@code conversationId}. */
  static String newMessageId(String conversationId, String domain) {
    String random = UUID.randomUUID().toString().replace("-", "");
    String left = SAFE_ID.matcher(conversationId).matches() ? "sms." + conversationId + "." + random : "sms.x." + random;
    return left + "@" + domain;
  }

  /**
   * The conversation id named by the latest of {@code references} that is one of our reply emails' ids, if any.
   */
  static Optional<String> conversationOf(List<String> references) {
    for (int i = references.size() - 1; i >= 0; i--) {
      var m = OURS.matcher(left(references.get(i)));
      if (m.matches()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /**
   * The thread of the latest of {@code references} this instance knows: one of our ids whose conversation
   * {@code conversations} finds, or a remembered id.
   */
  synchronized Optional<Key> resolve(List<String> references,
      java.util.function.Function<String, Optional<Key>> conversations) {
    for (int i = references.size() - 1; i >= 0; i--) {
      String left = left(references.get(i));
      var m = OURS.matcher(left);
      if (m.matches()) {
        Optional<Key> key = conversations.apply(m.group(1));
        if (key.isPresent()) {
          return key;
        }
      }
      Key known = threadById.get(left);
      if (known != null) {
        return Optional.of(known);
      }
    }
    return Optional.empty();
  }

  /** Remembers that {@code messageId} belongs to {@code thread}. */
  synchronized void remember(Key thread, String messageId) {
    if (messageId == null || messageId.isBlank()) {
      return;
    }
    String id = messageId.strip();
    List<String> ids = idsByThread.computeIfAbsent(thread, k -> new ArrayList<>());
    if (!ids.contains(id)) {
      ids.add(id);
      if (ids.size() > MAX_IDS) {
        ids.remove(1); // keep the first (the thread's root) and the latest
      }
    }
    threadById.put(left(id), thread);
  }

  /** The ids of the thread, oldest first (the last is what a new email answers). */
  synchronized List<String> thread(Key thread) {
    List<String> ids = idsByThread.get(thread);
    return ids == null ? List.of() : List.copyOf(ids);
  }

  private static String left(String id) {
    String s = id.strip();
    if (s.startsWith("<") && s.endsWith(">")) {
      s = s.substring(1, s.length() - 1);
    }
    int at = s.lastIndexOf('@');
    return at < 0 ? s : s.substring(0, at);
  }
}
