package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.routing.KeywordClassifier.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** C1 of docs/reliability.md: the keyword matrix. Persistence order and the single confirmation are in the service tests. */
class KeywordClassifierTest {

  private static final KeywordClassifier CLASSIFIER = KeywordClassifier.standard();

  /** Ways customers and phones dress up a keyword. */
  private static final List<UnaryOperator<String>> VARIANTS = List.of(
      s -> s,
      s -> s.toLowerCase(Locale.ROOT),
      s -> s.charAt(0) + s.substring(1).toLowerCase(Locale.ROOT),
      s -> "  " + s + "  ",
      s -> "\t" + s + "\n",
      s -> s + ".",
      s -> s + "!",
      s -> s + "!!!",
      s -> "\"" + s + "\"",
      s -> "¡" + s.toLowerCase(Locale.ROOT) + "!",
      s -> s + "\u2026",
      s -> s + " :)",
      s -> fullWidth(s),
      s -> "\u00A0" + s + "\u200B");

  private static String fullWidth(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c >= '!' && c <= '~' ? (char) (c - '!' + '\uFF01') : c == ' ' ? '\u3000' : c);
    }
    return sb.toString();
  }

  private static void add(List<Arguments> out, Kind kind, String canonical, String... words) {
    for (String word : words) {
      for (UnaryOperator<String> v : VARIANTS) {
        out.add(Arguments.of(v.apply(word), kind, canonical));
      }
    }
  }

  static Stream<Arguments> keywords() {
    List<Arguments> out = new ArrayList<>();
    add(out, Kind.OPT_OUT, "STOP", "STOP", "S T O P", "STÖP");
    add(out, Kind.OPT_OUT, "STOPALL", "STOPALL", "STOP ALL", "Stop-All");
    add(out, Kind.OPT_OUT, "UNSUBSCRIBE", "UNSUBSCRIBE");
    add(out, Kind.OPT_OUT, "CANCEL", "CANCEL");
    add(out, Kind.OPT_OUT, "END", "END");
    add(out, Kind.OPT_OUT, "QUIT", "QUIT");
    add(out, Kind.OPT_OUT, "REVOKE", "REVOKE");
    add(out, Kind.OPT_OUT, "OPTOUT", "OPTOUT", "OPT OUT", "OPT-OUT", "opt_out");
    add(out, Kind.OPT_OUT, "ARRET", "ARRET", "ARRÊT");
    add(out, Kind.OPT_IN, "START", "START");
    add(out, Kind.OPT_IN, "UNSTOP", "UNSTOP");
    add(out, Kind.HELP, "HELP", "HELP");
    add(out, Kind.HELP, "INFO", "INFO");
    add(out, Kind.HELP, "AIDE", "AIDE");
    return out.stream();
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1} {2}")
  @MethodSource("keywords")
  @DisplayName("a whole-message keyword is recognized in any case, spacing, punctuation or width")
  void recognized(String text, Kind kind, String canonical) {
    assertThat(CLASSIFIER.classify(text)).hasValueSatisfying(m -> {
      assertThat(m.kind()).isEqualTo(kind);
      assertThat(m.keyword()).isEqualTo(canonical);
      assertThat(m.onlyWhenOptedOut()).isFalse();
    });
  }

  static Stream<String> yes() {
    return Stream.of("YES", "yes", "Yes!", " yes. ", "ＹＥＳ", "\"Yes\"");
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("yes")
  @DisplayName("YES re-subscribes only a customer who opted out: to everyone else it is an answer for the agent")
  void yesIsConditional(String text) {
    assertThat(CLASSIFIER.classify(text)).hasValueSatisfying(m -> {
      assertThat(m.kind()).isEqualTo(Kind.OPT_IN);
      assertThat(m.onlyWhenOptedOut()).isTrue();
    });
  }

  static Stream<String> notKeywords() {
    return Stream.of(
        // sentences that contain a keyword
        "please stop", "stop texting me please", "Don't stop", "Can you stop by at 5?", "STOP STOP", "stop or go",
        "I want to cancel my order", "cancel my 3pm", "Cancel it", "end of story", "the end", "We END at 6",
        "quit it", "I quit my job", "help me", "can you help?", "HELP ME PLEASE", "info please", "more info",
        "start over", "when do you start?", "yes please", "Yes, 5pm works", "yes no", "unsubscribe me",
        "please unsubscribe", "opt out of what?", "revoke my access", "Stop! No wait, I meant the other one",
        // look-alikes that are other words
        "STOPP", "STOPS", "stopped", "STOPPING", "UNSUBSCRIBED", "ending", "QUITTER", "helper", "information",
        "starting", "started", "cancelled", "canceling", "st0p", "5TOP", "ends", "HELPS", "INFOS",
        "UNSTOPPABLE", "OPTOUTS", "ENDING", "ARRETE", "AIDER", "YESS", "YEP", "OK", "STARTED",
        // nothing
        "", " ", ".", "?!", "🙂", "🛑", "\u0000", "\u200B", "...",
        // too long to be a keyword
        "STOP" + " ".repeat(70), "HELP".repeat(20));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("notKeywords")
  @DisplayName("a message that is not exactly a keyword is not one")
  void notRecognized(String text) {
    assertThat(CLASSIFIER.classify(text)).isEmpty();
  }

  @Test
  @DisplayName("the matrix has about 300 cases, and every standard keyword is exercised")
  void matrixSize() {
    long cases = keywords().count() + yes().count() + notKeywords().count();
    assertThat(cases).isGreaterThanOrEqualTo(300);
    assertThat(keywords().map(a -> (String) a.get()[2]).distinct().count() + 1)
        .isEqualTo(CLASSIFIER.keywords().size());
  }

  @Test
  @DisplayName("normalize and compact describe the matching form")
  void normalizeForms() {
    assertThat(KeywordClassifier.normalize("  Opt-Out! ")).isEqualTo("OPT OUT");
    assertThat(KeywordClassifier.compact("  Opt-Out! ")).isEqualTo("OPTOUT");
    assertThat(KeywordClassifier.normalize("ＡＲＲÊＴ")).isEqualTo("ARRET");
  }

  @Test
  @DisplayName("the ASCII fast path gives exactly what the Unicode path gives")
  void asciiFastPath() {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 10_000; i++) {
      char[] chars = new char[random.nextInt(20)];
      for (int j = 0; j < chars.length; j++) {
        chars[j] = (char) random.nextInt(0x80);
      }
      String s = new String(chars);
      assertThat(KeywordClassifier.compact(s)).as("'%s'", s)
          .isEqualTo(KeywordClassifier.normalize(s).replace(" ", ""));
    }
  }

  @Test
  @DisplayName("a custom classifier adds words and refuses a word in two classes")
  void custom() {
    KeywordClassifier c = KeywordClassifier.builder().standard().optOut("BASTA").help("AYUDA").build();
    assertThat(c.classify("basta!")).map(KeywordClassifier.Match::kind).contains(Kind.OPT_OUT);
    assertThat(c.classify("Ayuda")).map(KeywordClassifier.Match::kind).contains(Kind.HELP);
    assertThat(c.classify("STOP")).map(KeywordClassifier.Match::kind).contains(Kind.OPT_OUT);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeywordClassifier.builder().optOut("X").help("x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
