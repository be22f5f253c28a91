package dev.smsgateway.email;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The email threads of conversations: which Message-IDs belong to which conversation, so that an agent's answer to a
 * reply email continues that conversation, and so that the reply emails thread under the agent's own email.
 *
 * <p>Our reply emails carry the conversation id in their Message-ID ({@code <sms.<conversation id>.<random>@domain>}),
 * which needs no memory and works on every instance. Where the sending service replaces the Message-ID (SES), and for
 * the agents' own emails, ids are remembered in a bounded in-memory map (the latest {@link #MAX_CONVERSATIONS}
 * conversations, {@link #MAX_IDS} ids each). Ids are compared by the part before {@code @}.
 *
 * <p>Thread-safe.
 */
final class EmailThreads {

  static final int MAX_CONVERSATIONS = 10_000;
  static final int MAX_IDS = 10;
  private static final Pattern OURS = Pattern.compile("sms\\.([0-9A-Za-z_-]{1,64})\\.[0-9a-f]{32}");
  private static final Pattern SAFE_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");

  private final Map<String, List<String>> idsByConversation = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
      return size() > MAX_CONVERSATIONS;
    }
  };
  private final Map<String, String> conversationById = new LinkedHashMap<>(256, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX_CONVERSATIONS * MAX_IDS;
    }
  };

  /** A new Message-ID (without brackets) for a reply email in {@code conversationId}. */
  static String newMessageId(String conversationId, String domain) {
    String random = UUID.randomUUID().toString().replace("-", "");
    String left = SAFE_ID.matcher(conversationId).matches() ? "sms." + conversationId + "." + random : "sms.x." + random;
    return left + "@" + domain;
  }

  /** The conversation named by the first of {@code references} that belongs to one (latest reference first). */
  synchronized Optional<String> conversationOf(List<String> references) {
    for (int i = references.size() - 1; i >= 0; i--) {
      String left = left(references.get(i));
      var m = OURS.matcher(left);
      if (m.matches()) {
        return Optional.of(m.group(1));
      }
      String c = conversationById.get(left);
      if (c != null) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** Remembers that {@code messageId} belongs to {@code conversationId}. */
  synchronized void remember(String conversationId, String messageId) {
    if (messageId == null || messageId.isBlank()) {
      return;
    }
    String id = messageId.strip();
    List<String> ids = idsByConversation.computeIfAbsent(conversationId, k -> new ArrayList<>());
    if (!ids.contains(id)) {
      ids.add(id);
      if (ids.size() > MAX_IDS) {
        ids.remove(1); // keep the first (the thread's root) and the latest
      }
    }
    conversationById.put(left(id), conversationId);
  }

  /** The ids of the conversation's thread, oldest first (the last is what a new email answers). */
  synchronized List<String> thread(String conversationId) {
    List<String> ids = idsByConversation.get(conversationId);
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
