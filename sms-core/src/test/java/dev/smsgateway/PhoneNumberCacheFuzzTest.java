package dev.smsgateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for the cache of libphonenumber's results: any text, in any of a few default regions (valid, lower
 * case, unsupported, alpha-3), read twice through the cache under two field names and once fresh, must give the same
 * number or the same error each time. In a normal build it replays an empty input ({@link PhoneNumberCacheTest} holds
 * the deterministic checks); fuzz it with {@code JAZZER_FUZZ=1 mvn -pl sms-core -am test
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest=PhoneNumberCacheFuzzTest} (docs/fuzzing.md).
 */
class PhoneNumberCacheFuzzTest {

  private static final String[] REGIONS = {null, "US", "GB", "de", "IN", "BR", "XX", "USA"};

  private static String outcome(java.util.function.Supplier<Object> call) {
    try {
      Object value = call.get();
      return "ok " + (value instanceof Originator o ? o.kind() + " " + o.key() : ((PhoneNumber) value).e164());
    } catch (SmsValidationException e) {
      return "error " + e.field() + " | " + e.getMessage();
    }
  }

  @FuzzTest(maxDuration = "10s")
  void cachedEqualsFresh(FuzzedDataProvider data) {
    String region = REGIONS[data.consumeInt(0, REGIONS.length - 1)];
    String raw = data.consumeRemainingAsString();
    String fresh = outcome(() -> LibPhoneNumbers.normalizeUncached(raw, region, "to"));
    assertThat(outcome(() -> LibPhoneNumbers.normalize(raw, region, "to"))).isEqualTo(fresh);
    assertThat(outcome(() -> LibPhoneNumbers.normalize(raw, region, "from")))
        .isEqualTo(outcome(() -> LibPhoneNumbers.normalizeUncached(raw, region, "from")));
    assertThat(outcome(() -> LibPhoneNumbers.originatorOf(raw, region)))
        .isEqualTo(outcome(() -> LibPhoneNumbers.originatorOfUncached(raw, region)));
  }
}
