package dev.smsgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginatorTest {

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"A", "ACME", "Acme 2", "ABCDEFGHIJK", "1ACME", "Shop 24 7"})
  @DisplayName("valid alphanumeric sender ids: 1-11 of [A-Za-z0-9 ], not all digits")
  void validSenderIds(String id) {
    assertThat(Originator.alphanumeric(id).address()).isEqualTo(id);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "ABCDEFGHIJKL", "AC-ME", "Café", "12345678901", "123 45"})
  @DisplayName("invalid sender ids are refused with the field named")
  void invalidSenderIds(String id) {
    assertThatThrownBy(() -> Originator.alphanumeric(id)).isInstanceOfSatisfying(SmsValidationException.class,
        e -> assertThat(e.field()).isEqualTo("originator.address"));
  }

  @Test
  @DisplayName("short codes are 3-8 digits and need a country")
  void shortCodes() {
    assertThat(Originator.shortCode("12345", "us").country()).isEqualTo("US");
    assertThatThrownBy(() -> Originator.shortCode("12", "US")).isInstanceOf(SmsValidationException.class);
    assertThatThrownBy(() -> Originator.shortCode("123456789", "US")).isInstanceOf(SmsValidationException.class);
    assertThatThrownBy(() -> Originator.shortCode("12345", null)).isInstanceOfSatisfying(
        SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("originator.country"));
    assertThatThrownBy(() -> Originator.shortCode("12345", "USA")).isInstanceOf(SmsValidationException.class);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" -> {1} {2}")
  @CsvSource({"ACME, ALPHANUMERIC, ACME", "12345, SHORT_CODE, 12345", "'+1 415 555 0199', LONG_CODE, +14155550199",
      "(415) 555-0199, LONG_CODE, +14155550199", "+1 800 234 5678, TOLL_FREE, +18002345678"})
  @DisplayName("parse reads letters as a sender id, 3-8 digits as a short code, anything else as a number")
  void parse(String raw, Originator.Kind kind, String address) {
    Originator o = Originator.parse(raw, "US");
    assertThat(o.kind()).isEqualTo(kind);
    assertThat(o.address()).isEqualTo(address);
    assertThat(Originator.fromKey(o.key())).isEqualTo(o.kind() == Originator.Kind.TOLL_FREE
        ? Originator.longCode(PhoneNumber.of(address)) : o);
  }

  @Test
  @DisplayName("parse refuses null, blank and short codes without a region")
  void parseErrors() {
    assertThatThrownBy(() -> Originator.parse(null, "US")).isInstanceOf(SmsValidationException.class);
    assertThatThrownBy(() -> Originator.parse("  ", "US")).isInstanceOf(SmsValidationException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> Originator.parse("12345", null)).isInstanceOfSatisfying(SmsValidationException.class,
        e -> assertThat(e.field()).isEqualTo("originator.country"));
  }

  @Test
  @DisplayName("keys tell short codes of different countries apart; phone numbers are masked in toString")
  void keysAndToString() {
    assertThat(Originator.shortCode("12345", "US").key()).isEqualTo("12345@US");
    assertThat(Originator.shortCode("12345", "US")).isNotEqualTo(Originator.shortCode("12345", "CA"));
    assertThat(Originator.longCode(PhoneNumber.of("+14155550199")).toString()).doesNotContain("14155550199");
    assertThat(Originator.fromKey("12345@CA")).isEqualTo(Originator.shortCode("12345", "CA"));
  }
}
