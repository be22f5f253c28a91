package dev.smsgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * Jazzer fuzz target (X3) for the keyword classifier. A normal build replays the committed inputs under
 * {@code src/test/resources/dev/smsgateway/routing/KeywordClassifierFuzzTestInputs/classify/}; fuzz it for longer with
 * {@code JAZZER_FUZZ=1 mvn -pl sms-routing test -Dtest=KeywordClassifierFuzzTest#classify} (see docs/fuzzing.md).
 */
class KeywordClassifierFuzzTest {

  private static final KeywordClassifier CUSTOM = KeywordClassifier.builder().standard()
      .optOut("BASTA", "ALTO").help("AYUDA").build();

  /**
   * Any text: never throws; a match is a known keyword equal to the text's compact form; a keyword stays one when it is
   * already normalized; a keyword inside a sentence is not a keyword.
   */
  @FuzzTest(maxDuration = "30s")
  void classify(FuzzedDataProvider data) {
    boolean custom = data.consumeBoolean();
    String text = data.consumeRemainingAsString();
    KeywordClassifier classifier = custom ? CUSTOM : KeywordClassifier.standard();

    Optional<KeywordClassifier.Match> match = classifier.classify(text);
    String normalized = KeywordClassifier.normalize(text);
    assertThat(normalized).isEqualTo(normalized.strip());

    if (match.isPresent()) {
      assertThat(classifier.keywords()).contains(match.get().keyword());
      assertThat(KeywordClassifier.compact(text)).isEqualTo(match.get().keyword());
      assertThat(text.length()).isLessThanOrEqualTo(64);
      assertThat(classifier.classify(normalized)).isEqualTo(match);
      assertThat(classifier.classify("please " + text + " tomorrow")).as("a keyword inside a sentence").isEmpty();
    }
  }
}
