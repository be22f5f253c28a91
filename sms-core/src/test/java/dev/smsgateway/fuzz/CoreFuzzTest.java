package dev.smsgateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.text.Encoding;
import dev.smsgateway.text.Gsm7;
import dev.smsgateway.text.SegmentPlan;
import dev.smsgateway.text.SmsEncoding;

/**
 * Jazzer fuzz targets (X3) for the provider-neutral parsers. In a normal build they replay the committed inputs under
 * {@code src/test/resources/dev/smsgateway/fuzz/CoreFuzzTestInputs/<method>/}; to fuzz one for longer run
 * {@code JAZZER_FUZZ=1 mvn -pl sms-core test -Dtest=CoreFuzzTest#segmenter} (see docs/fuzzing.md).
 */
class CoreFuzzTest {

  private static final String[] REGIONS = {"US", "GB", "DE", "FR", "IN", "BR", "JP", null};

  @FuzzTest(maxDuration = "10s")
  void normalizer(FuzzedDataProvider data) {
    String region = REGIONS[data.consumeInt(0, REGIONS.length - 1)];
    String raw = data.consumeRemainingAsString();
    try {
      PhoneNumber number = PhoneNumbers.normalize(raw, region);
      assertThat(PhoneNumber.isE164(number.e164())).isTrue();
      assertThat(PhoneNumbers.normalize(number.e164(), region)).isEqualTo(number);
    } catch (SmsValidationException expected) {
      assertThat(expected.field()).isNotBlank();
      String stripped = raw.strip();
      // An input that already looks masked may legitimately reappear as its own mask.
      if (stripped.length() >= 10 && stripped.indexOf('*') < 0) {
        assertThat(expected.getMessage()).as("input is masked").doesNotContain(stripped);
      }
    }
  }

  @FuzzTest(maxDuration = "10s")
  void originator(FuzzedDataProvider data) {
    String region = REGIONS[data.consumeInt(0, REGIONS.length - 1)];
    String raw = data.consumeRemainingAsString();
    try {
      Originator originator = Originator.parse(raw, region);
      assertThat(Originator.fromKey(originator.key()).key()).isEqualTo(originator.key());
    } catch (SmsValidationException expected) {
      assertThat(expected.field()).startsWith("originator");
    }
  }

  @FuzzTest(maxDuration = "10s")
  void segmenter(FuzzedDataProvider data) {
    boolean transliterate = data.consumeBoolean();
    String text = data.consumeRemainingAsString();
    SegmentPlan plan = SmsEncoding.plan(text, transliterate);
    assertThat(String.join("", plan.parts())).isEqualTo(plan.text());
    for (String part : plan.parts()) {
      int units = plan.encoding() == Encoding.GSM7 ? Gsm7.countSeptets(part) : part.length();
      assertThat(units).isLessThanOrEqualTo(plan.unitsPerPart());
      if (!part.isEmpty()) {
        assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1)) && plan.parts().size() > 1
            && !part.equals(plan.parts().get(plan.parts().size() - 1))).isFalse();
      }
    }
    if (plan.encoding() == Encoding.GSM7) {
      assertThat(Gsm7.decode(Gsm7.encode(plan.text()))).isEqualTo(plan.text());
      assertThat(plan.ucs2Characters()).isEmpty();
    } else {
      assertThat(plan.ucs2Characters()).isNotEmpty();
    }
  }

  @FuzzTest(maxDuration = "10s")
  void gsm7Decoder(FuzzedDataProvider data) {
    byte[] septets = data.consumeRemainingAsBytes();
    String decoded = Gsm7.decode(septets);
    assertThat(decoded.length()).isLessThanOrEqualTo(septets.length);
    assertThat(Gsm7.canEncode(decoded)).isTrue();
  }
}
