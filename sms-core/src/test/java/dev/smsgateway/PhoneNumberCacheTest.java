package dev.smsgateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cache of libphonenumber's results ({@link LibPhoneNumbers}) gives exactly what a fresh read gives: the same
 * number or the same error (class, field, message), on the first call and on every later one, for valid and invalid
 * numbers, national and international formats, short codes and sender ids, and agrees with libphonenumber itself.
 */
class PhoneNumberCacheTest {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final String[] REGIONS = {null, "US", "GB", "gb", "DE", "IN", "BR", "JP", "XX", "USA", " fr "};

  @BeforeEach
  void empty() {
    LibPhoneNumbers.clearCache();
  }

  /** What a call gave: the value's text, or the error's class, field and message. */
  private static String outcome(Supplier<Object> call) {
    try {
      Object value = call.get();
      return "ok " + (value instanceof Originator o ? o.kind() + " " + o.key() : ((PhoneNumber) value).e164());
    } catch (SmsValidationException e) {
      return "error " + e.field() + " | " + e.getMessage();
    } catch (RuntimeException e) {
      return "error " + e.getClass().getName() + " | " + e.getMessage();
    }
  }

  /**
   * Compares cached reads (a miss, then a hit with another field name) with fresh reads; adds each disagreement to
   * {@code mismatches}.
   */
  private static void sameAsUncached(String raw, String region, List<String> mismatches) {
    for (String field : new String[] {"to", "customerNumber"}) {
      String cached = outcome(() -> LibPhoneNumbers.normalize(raw, region, field));
      String fresh = outcome(() -> LibPhoneNumbers.normalizeUncached(raw, region, field));
      if (!cached.equals(fresh)) {
        mismatches.add("normalize(" + raw + ", " + region + ", " + field + "): " + cached + " != " + fresh);
      }
    }
    String cached = outcome(() -> LibPhoneNumbers.originatorOf(raw, region));
    String fresh = outcome(() -> LibPhoneNumbers.originatorOfUncached(raw, region));
    if (!cached.equals(fresh)) {
      mismatches.add("originatorOf(" + raw + ", " + region + "): " + cached + " != " + fresh);
    }
  }

  /** Example numbers of every region and type libphonenumber knows, in several formats, and near misses of them. */
  private static List<String[]> examples() {
    List<String[]> inputs = new ArrayList<>();
    PhoneNumberType[] types = {PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.VOIP, PhoneNumberType.UAN};
    for (String region : UTIL.getSupportedRegions()) {
      for (PhoneNumberType type : types) {
        Phonenumber.PhoneNumber example = UTIL.getExampleNumberForType(region, type);
        if (example == null) {
          continue;
        }
        String e164 = UTIL.format(example, PhoneNumberFormat.E164);
        String national = UTIL.format(example, PhoneNumberFormat.NATIONAL);
        String international = UTIL.format(example, PhoneNumberFormat.INTERNATIONAL);
        String lastChanged = e164.substring(0, e164.length() - 1) + (char) ('0' + (e164.charAt(e164.length() - 1) - '0' + 1) % 10);
        for (String raw : new String[] {e164, national, international, e164 + "7", lastChanged}) {
          inputs.add(new String[] {raw, region});
          inputs.add(new String[] {raw, null});
        }
      }
    }
    for (String raw : new String[] {"12345", "262966", "ACME", "Acme Co", "", "   ", "+", "+0123456789",
        "+999 1234 5678", "+1 415", "+1 415 555 0100 1234 567", "+1 555 555 5555", "415-CALL-NOW", "tel:+14155550100",
        "+14155550100", "+18005550199", "+448001234567", "07400 123456", "00 44 7400 123456", "+1234567890123456",
        "+123456789012345", "\uFF0B\uFF11\uFF14\uFF11\uFF15\uFF15\uFF15\uFF15\uFF10\uFF11\uFF10\uFF10"}) {
      for (String region : REGIONS) {
        inputs.add(new String[] {raw, region});
      }
    }
    return inputs;
  }

  @Test
  @DisplayName("cached reads give the same number or the same error as fresh reads, for every example number of every region, formatted and mutated")
  void examplesAgree() {
    List<String[]> inputs = examples();
    assertThat(inputs).hasSizeGreaterThan(5_000);
    List<String> mismatches = new ArrayList<>();
    for (String[] input : inputs) {
      sameAsUncached(input[0], input[1], mismatches);
    }
    // and again, now that the cache holds (some of) them: hits must agree too
    for (String[] input : inputs) {
      sameAsUncached(input[0], input[1], mismatches);
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  @DisplayName("what is accepted, its E.164 form and toll-free kind agree with libphonenumber's own parse, validity, format and type")
  void agreesWithLibphonenumber() {
    int accepted = 0;
    int refused = 0;
    List<String> mismatches = new ArrayList<>();
    for (String[] input : examples()) {
      String raw = input[0];
      String region = input[1];
      if (region != null && !PhoneNumbers.isSupportedRegion(region) || raw.isBlank()
          || !raw.strip().matches("[0-9+()./\\-\\s\\u00A0\\u2010-\\u2015\\uFF0B\\uFF10-\\uFF19]+")) {
        continue; // refused before libphonenumber is asked
      }
      String expected;
      Phonenumber.PhoneNumber parsed = null;
      try {
        parsed = UTIL.parse(raw.strip(), region == null ? "ZZ" : region);
        String e164 = UTIL.format(parsed, PhoneNumberFormat.E164);
        expected = UTIL.isPossibleNumber(parsed) && UTIL.isValidNumber(parsed) && PhoneNumber.isE164(e164) ? e164 : null;
      } catch (NumberParseException e) {
        expected = null;
      }
      for (int i = 0; i < 2; i++) {
        String actual;
        try {
          actual = PhoneNumbers.normalize(raw, region).e164();
        } catch (SmsValidationException e) {
          actual = null;
        }
        if (!java.util.Objects.equals(actual, expected)) {
          mismatches.add("normalize(" + raw + ", " + region + "), call " + (i + 1) + ": " + actual + " != " + expected);
        }
        if (expected != null) {
          Originator.Kind kind = LibPhoneNumbers.originatorOf(raw, region).kind();
          if (kind != (UTIL.getNumberType(parsed) == PhoneNumberType.TOLL_FREE ? Originator.Kind.TOLL_FREE
              : Originator.Kind.LONG_CODE)) {
            mismatches.add("kind of " + raw + " in " + region + ": " + kind);
          }
        }
      }
      if (expected != null) {
        accepted++;
      } else {
        refused++;
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(accepted).as("valid numbers compared").isGreaterThan(2_000);
    assertThat(refused).as("refused numbers compared").isGreaterThan(2_000);
  }

  @Test
  @DisplayName("a number read again comes from the cache (the same object, no second libphonenumber read) until evicted")
  void readOnce() {
    PhoneNumber first = PhoneNumbers.normalize(" (415) 555-0100 ", "US");
    assertThat(PhoneNumbers.normalize("(415) 555-0100", "US")).isSameAs(first);
    Originator business = Originator.parse("+1 800 555 0199", null);
    assertThat(Originator.parse("+1 800 555 0199", null)).isSameAs(business);
    LibPhoneNumbers.clearCache();
    PhoneNumber again = PhoneNumbers.normalize("(415) 555-0100", "US");
    assertThat(again).isEqualTo(first).isNotSameAs(first);
  }

  @Test
  @DisplayName("a cached error names the field of the call that hits it, not of the call that filled the cache")
  void fieldOfTheCaller() {
    assertThat(outcome(() -> PhoneNumbers.normalize("+1 555 555 5555", "US", "to")))
        .startsWith("error to | to is not a valid number for its country");
    assertThat(outcome(() -> PhoneNumbers.normalize("+1 555 555 5555", "US", "customerNumber")))
        .startsWith("error customerNumber | customerNumber is not a valid number for its country");
    assertThat(outcome(() -> Originator.parse("+1 555 555 5555", "US")))
        .startsWith("error originator | originator is not a valid number for its country");
  }

  @Test
  @DisplayName("the same text in two default regions is two entries: each gives its own region's reading")
  void regionIsPartOfTheKey() {
    assertThat(PhoneNumbers.normalize("07400 123456", "GB").e164()).isEqualTo("+447400123456");
    assertThat(outcome(() -> PhoneNumbers.normalize("07400 123456", "US"))).startsWith("error phoneNumber");
    assertThat(PhoneNumbers.normalize("07400 123456", "GB").e164()).isEqualTo("+447400123456");
    assertThat(outcome(() -> PhoneNumbers.normalize("07400 123456", "USA")))
        .isEqualTo(outcome(() -> LibPhoneNumbers.normalizeUncached("07400 123456", "USA", "phoneNumber")))
        .contains("did you mean 'US'");
  }

  @Test
  @DisplayName("a toll-free number read first by normalize is still a toll-free originator when read from the cache")
  void tollFreeFromCache() {
    assertThat(PhoneNumbers.normalize("+1 800 555 0199", null).e164()).isEqualTo("+18005550199");
    assertThat(Originator.parse("+1 800 555 0199", null).kind()).isEqualTo(Originator.Kind.TOLL_FREE);
    assertThat(Originator.parse("+1 800 555 0199", null).kind()).isEqualTo(Originator.Kind.TOLL_FREE);
    assertThat(Originator.parse("+1 415 555 0100", "US").kind()).isEqualTo(Originator.Kind.LONG_CODE);
  }

  private static final String ALPHABET = "0123456789012345678901234567890123456789+++   ()-.\u00A0\u2013\uFF0B\uFF11"
      + "aBxZ*#\t";

  private static String randomInput(Random random) {
    StringBuilder sb = new StringBuilder();
    if (random.nextInt(3) == 0) {
      sb.append('+').append(1 + random.nextInt(9));
    }
    int length = random.nextInt(18);
    for (int i = 0; i < length; i++) {
      sb.append(random.nextInt(4) == 0 ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
          : (char) ('0' + random.nextInt(10)));
    }
    return sb.toString();
  }

  @Test
  @DisplayName("property: for 8,000 random inputs and regions, through a cache far smaller than the inputs, cached == fresh")
  void randomInputsAgree() {
    Random random = new Random(20261206);
    List<String[]> seen = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < 8_000; i++) {
      String[] input = random.nextInt(4) == 0 && !seen.isEmpty() ? seen.get(random.nextInt(seen.size()))
          : new String[] {randomInput(random), REGIONS[random.nextInt(REGIONS.length)]};
      seen.add(input);
      String field = random.nextBoolean() ? "to" : "from";
      String cached = outcome(() -> PhoneNumbers.normalize(input[0], input[1], field));
      String fresh = outcome(() -> LibPhoneNumbers.normalizeUncached(input[0], input[1], field));
      if (!cached.equals(fresh)) {
        mismatches.add("normalize(" + input[0] + ", " + input[1] + "): " + cached + " != " + fresh);
      }
      cached = outcome(() -> Originator.parse(input[0], input[1]));
      LibPhoneNumbers.clearCache();
      fresh = outcome(() -> Originator.parse(input[0], input[1]));
      if (!cached.equals(fresh)) {
        mismatches.add("Originator.parse(" + input[0] + ", " + input[1] + "): " + cached + " != " + fresh);
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  @DisplayName("threads reading overlapping numbers through the cache at once all get what a fresh read gives")
  void concurrentReadersAgree() throws Exception {
    Random random = new Random(16);
    Set<String> distinct = new LinkedHashSet<>();
    while (distinct.size() < 2_000) {
      distinct.add(random.nextInt(3) == 0 ? randomInput(random) : "+1415" + (2_000_000 + random.nextInt(1_000_000)));
    }
    List<String> inputs = new ArrayList<>(distinct);
    List<String> expected = new ArrayList<>();
    for (String raw : inputs) {
      expected.add(outcome(() -> LibPhoneNumbers.normalizeUncached(raw, "US", "to")) + " / "
          + outcome(() -> LibPhoneNumbers.originatorOfUncached(raw, "US")));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          Random r = new Random(seed);
          int checked = 0;
          for (int i = 0; i < 5_000; i++) {
            int k = r.nextInt(inputs.size());
            String raw = inputs.get(k);
            String got = outcome(() -> LibPhoneNumbers.normalize(raw, "US", "to")) + " / "
                + outcome(() -> LibPhoneNumbers.originatorOf(raw, "US"));
            if (got.equals(expected.get(k))) {
              checked++;
            }
          }
          return checked;
        }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).as("reads that agreed").isEqualTo(5_000);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
