package dev.smsgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {
      "+14155550100", "+1 415 555 0100", "+1 (415) 555-0100", "+1-415-555-0100", "+1.415.555.0100",
      "(415) 555-0100", "415-555-0100", "415.555.0100", "4155550100", "1 415 555 0100", "  415 555 0100  ",
      "011 1 415 555 0100", "+1\u00A0415\u00A0555\u00A00100", "\uFF0B\uFF11\uFF14\uFF11\uFF15\uFF15\uFF15\uFF15\uFF10\uFF11\uFF10\uFF10",
      "415\u2013555\u20130100"})
  @DisplayName("every common way of writing one US number normalizes to one E.164 key")
  void oneKey(String raw) {
    assertThat(PhoneNumbers.normalize(raw, "US")).isEqualTo(PhoneNumber.of("+14155550100"));
  }

  @Test
  @DisplayName("international input needs no region; national input reads in the given region")
  void regions() {
    assertThat(PhoneNumbers.normalize("+44 7400 123456", null).e164()).isEqualTo("+447400123456");
    assertThat(PhoneNumbers.normalize("07400 123456", "GB").e164()).isEqualTo("+447400123456");
    assertThat(PhoneNumbers.normalize("07400 123456", "gb").e164()).isEqualTo("+447400123456");
    assertThat(PhoneNumbers.normalize("00 44 7400 123456", "DE").e164()).isEqualTo("+447400123456");
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" in {1}")
  @CsvSource(delimiter = '|', value = {
      "'   '                    | US | is blank",
      "415-CALL-NOW             | US | is not a phone number",
      "+999 1234 5678           | US | invalid country code",
      "415 555 0100             |    | has no valid country code",
      "+1 415                   | US | is too short",
      "+1 415 555 0100 1234 567 | US | is too long",
      "+1 555 555 5555          | US | is not a valid number"})
  @DisplayName("each kind of bad input gets a typed error that names the field and the reason, with the input masked")
  void errors(String raw, String region, String reason) {
    assertThatThrownBy(() -> PhoneNumbers.normalize(raw, region, "to"))
        .isInstanceOfSatisfying(SmsValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("to");
          assertThat(e.getMessage()).contains(reason);
          String digits = raw.replaceAll("[^0-9]", "");
          if (digits.length() >= 10) {
            assertThat(e.getMessage().replaceAll("[^0-9]", "")).doesNotContain(digits);
          }
          assertThat(e.retryable()).isFalse();
        });
  }

  @Test
  @DisplayName("null input and a bad region are validation errors, not NPEs")
  void nullAndRegion() {
    assertThatThrownBy(() -> PhoneNumbers.normalize(null, "US")).isInstanceOfSatisfying(
        SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("phoneNumber"));
    assertThatThrownBy(() -> PhoneNumbers.normalize("4155550100", "XX")).isInstanceOfSatisfying(
        SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("defaultRegion"));
    assertThatThrownBy(() -> PhoneNumbers.normalize("4155550100", "USA")).isInstanceOf(SmsValidationException.class);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(nullValues = "NULL", value = {"+14155550100, +1415*****00", "12345, 12*45", "1234, ****",
      "'', ''", "NULL, null"})
  @DisplayName("mask keeps only a few leading and trailing characters")
  void mask(String in, String out) {
    assertThat(PhoneNumbers.mask(in)).isEqualTo(out);
  }

  @Test
  @DisplayName("PhoneNumber checks E.164 syntax without libphonenumber and masks itself in toString")
  void phoneNumber() {
    PhoneNumber n = PhoneNumber.of("+14155550100");
    assertThat(n.digits()).isEqualTo("14155550100");
    assertThat(n.toString()).doesNotContain("14155550100").isEqualTo("+1415*****00");
    assertThat(PhoneNumber.isE164("+0123")).isFalse();
    assertThat(PhoneNumber.isE164("+1234567890123456")).isFalse();
    assertThat(PhoneNumber.isE164(null)).isFalse();
    assertThatThrownBy(() -> PhoneNumber.of("4155550100")).isInstanceOf(SmsValidationException.class)
        .hasMessageNotContaining("4155550100");
    assertThatThrownBy(() -> PhoneNumber.of(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("e164 == null");
  }

  @Test
  @DisplayName("isE164 accepts exactly what the E.164 pattern + [1-9] [0-9]{1,14} accepts")
  void e164SyntaxMatchesThePattern() {
    java.util.regex.Pattern e164 = java.util.regex.Pattern.compile("\\+[1-9][0-9]{1,14}");
    for (String s : new String[] {"", "+", "+1", "+12", "+10", "+01", "+123456789012345", "+1234567890123456",
        "14155550100", "++14155550100", "+1415555010a", "+1 415", "+\uFF11\uFF12\uFF13", "+٣٣٣", "+14155550100\n"}) {
      assertThat(PhoneNumber.isE164(s)).as(s).isEqualTo(e164.matcher(s).matches());
    }
    java.util.Random random = new java.util.Random(42);
    String alphabet = "+0123456789 a";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(19);
      for (int j = 0; j < length; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = (random.nextBoolean() ? "+" : "") + b;
      assertThat(PhoneNumber.isE164(s)).as(s).isEqualTo(e164.matcher(s).matches());
    }
  }
}
