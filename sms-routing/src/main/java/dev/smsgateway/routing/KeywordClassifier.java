package dev.smsgateway.routing;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recognizes opt-out, opt-in and help keywords the way carriers do: only when the whole message is the keyword,
 * ignoring case, surrounding spaces and punctuation, spaces or hyphens inside ({@code OPT OUT}, {@code stop-all}),
 * accents ({@code ARRÊT}) and full-width forms ({@code ＳＴＯＰ}, by Unicode NFKC). A sentence that contains "stop" is
 * not an opt-out.
 *
 * <p>The standard lists follow the CTIA Messaging Principles and Best Practices (opt-out: STOP, QUIT, END, REVOKE,
 * OPT OUT, CANCEL, UNSUBSCRIBE; re-subscribe: START, UNSTOP), the additions US carriers and Twilio honour (STOPALL,
 * OPTOUT) and the Canadian French forms (ARRET, AIDE). {@code YES} re-subscribes only a customer who is opted out
 * ({@link Match#onlyWhenOptedOut()}): to everyone else it is an ordinary answer to an agent and must reach the agent.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeywordClassifier {

  /** What a keyword asks for. */
  public enum Kind {
    /** Stop all messages. */
    OPT_OUT,
    /** Resume messages. */
    OPT_IN,
    /** Send the help text. */
    HELP
  }

  /**
   * A recognized keyword.
   *
   * @param kind what it asks for
   * @param keyword the canonical keyword, upper case without spaces ({@code STOP}, {@code OPTOUT})
   * @param onlyWhenOptedOut true when the keyword counts only for a customer who is opted out ({@code YES})
   */
  public record Match(Kind kind, String keyword, boolean onlyWhenOptedOut) {
    /** Checks required fields. */
    public Match {
      Objects.requireNonNull(kind, "kind == null");
      Objects.requireNonNull(keyword, "keyword == null");
    }
  }

  // Longer than any keyword plus generous punctuation: not a keyword, and not worth normalizing.
  private static final int MAX_KEYWORD_MESSAGE_LENGTH = 64;
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

  private static final KeywordClassifier STANDARD = builder()
      .optOut("STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT",
          "ARRET")
      .optIn("START", "UNSTOP")
      .optInWhenOptedOut("YES")
      .help("HELP", "INFO", "AIDE")
      .build();

  private final Map<String, Match> keywords;
  /** {@link String#hashCode()} of every keyword, sorted: most ASCII messages are ruled out without a string. */
  private final int[] keywordHashes;

  private KeywordClassifier(Map<String, Match> keywords) {
    this.keywords = Map.copyOf(keywords);
    this.keywordHashes = this.keywords.keySet().stream().mapToInt(String::hashCode).sorted().toArray();
  }

  /** The standard keywords (see the class description). */
  public static KeywordClassifier standard() {
    return STANDARD;
  }

  /** A builder starting empty; add the standard keywords with {@link Builder#standard()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Classifies a whole message; empty when it is not a keyword. Never throws for any text. */
  public Optional<Match> classify(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_KEYWORD_MESSAGE_LENGTH) {
      return Optional.empty();
    }
    int hash = asciiCompactHash(text);
    if (hash != NOT_ASCII && Arrays.binarySearch(keywordHashes, hash) < 0) {
      // The hash of the canonical form matches no keyword's, so the canonical form is no keyword.
      return Optional.empty();
    }
    return Optional.ofNullable(keywords.get(compact(text)));
  }

  private static final int NOT_ASCII = 0x80000000;

  /**
   * {@link String#hashCode()} of what {@link #asciiCompact} would return, without building it; {@link #NOT_ASCII}
   * for text outside ASCII (which takes the normalizing path), or in the rare case that the hash equals that value.
   */
  private static int asciiCompactHash(String text) {
    int h = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return NOT_ASCII;
      }
      if (c >= 'a' && c <= 'z') {
        c = (char) (c - ('a' - 'A'));
      } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        continue;
      }
      h = 31 * h + c;
    }
    return h;
  }

  /** Every keyword this classifier knows, in canonical form. */
  public Set<String> keywords() {
    return keywords.keySet();
  }

  /**
   * The matching form of a text: NFKC, accents removed, upper case, every run of characters other than letters and
   * digits replaced by one space, trimmed. {@code "  Opt-Out! "} gives {@code "OPT OUT"}.
   */
  public static String normalize(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
    s = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("");
    s = s.toUpperCase(Locale.ROOT);
    return SEPARATORS.matcher(s).replaceAll(" ").strip();
  }

  /** {@link #normalize} without the spaces: {@code "OPTOUT"}. The form keywords are compared in. */
  public static String compact(String text) {
    String ascii = asciiCompact(text);
    return ascii != null ? ascii : normalize(text).replace(" ", "");
  }

  /**
   * The compact form of pure ASCII text without Normalizer or regular expressions (NFKC and accent removal change
   * nothing in ASCII); null when the text holds anything else. Most messages are ASCII: this keeps the keyword check
   * off the routing hot path's profile.
   */
  private static String asciiCompact(String text) {
    StringBuilder sb = null;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return null;
      }
      if (c >= 'a' && c <= 'z') {
        c = (char) (c - ('a' - 'A'));
      } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(n);
      }
      sb.append(c);
    }
    return sb == null ? "" : sb.toString();
  }

  @Override
  public String toString() {
    return "KeywordClassifier{keywords=" + keywords.size() + "}";
  }

  /** Builds a {@link KeywordClassifier}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Match> keywords = new HashMap<>();

    private Builder() {}

    /** Adds the standard keywords. */
    public Builder standard() {
      keywords.putAll(STANDARD.keywords);
      return this;
    }

    /** Adds opt-out keywords. */
    public Builder optOut(String... words) {
      return add(Kind.OPT_OUT, false, words);
    }

    /** Adds opt-in keywords. */
    public Builder optIn(String... words) {
      return add(Kind.OPT_IN, false, words);
    }

    /** Adds keywords that opt a customer back in only when they are opted out. */
    public Builder optInWhenOptedOut(String... words) {
      return add(Kind.OPT_IN, true, words);
    }

    /** Adds help keywords. */
    public Builder help(String... words) {
      return add(Kind.HELP, false, words);
    }

    private Builder add(Kind kind, boolean onlyWhenOptedOut, String... words) {
      for (String word : words) {
        String key = compact(Objects.requireNonNull(word, "word == null"));
        if (key.isEmpty()) {
          throw new IllegalArgumentException("keyword has no letters or digits: '" + word + "'");
        }
        Match previous = keywords.put(key, new Match(kind, key, onlyWhenOptedOut));
        if (previous != null && previous.kind() != kind) {
          throw new IllegalArgumentException("keyword " + key + " is both " + previous.kind() + " and " + kind);
        }
      }
      return this;
    }

    /** Builds the classifier. */
    public KeywordClassifier build() {
      return new KeywordClassifier(keywords);
    }
  }
}
