package dev.smsgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class NumberCheckTest {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  @Test
  void theTableHoldsEveryCallingCodeAndItsPossibleLengthsAsLibphonenumberDoes() {
    StringBuilder expected = new StringBuilder();
    for (int cc : new TreeSet<>(UTIL.getSupportedCallingCodes())) {
      StringBuilder lengths = new StringBuilder();
      for (int len = 1; len <= 17 && String.valueOf(cc).length() + len <= 15; len++) {
        Phonenumber.PhoneNumber p = new Phonenumber.PhoneNumber().setCountryCode(cc)
            .setNationalNumber(Long.parseLong("2".repeat(len)));
        if (UTIL.isPossibleNumberWithReason(p) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE) {
          lengths.append(Integer.toHexString(len));
        }
      }
      expected.append(cc).append(':').append(lengths).append(' ');
    }
    assertThat(CallingCodes.TABLE).isEqualTo(expected.toString().strip());
  }

  @Test
  void theRegionTableIsLibphonenumbersSupportedRegions() {
    assertThat(CallingCodes.REGIONS).isEqualTo(UTIL.getSupportedRegions());
    assertThat(PhoneNumbers.isSupportedRegion("US")).isTrue();
    assertThat(PhoneNumbers.isSupportedRegion("ZZ")).isFalse();
    assertThat(PhoneNumbers.isSupportedRegion("us")).isFalse();
  }

  @Test
  void callingCodeLengthAgreesWithLibphonenumbersPossibleCheckOnEveryCodeAndLength() {
    for (int cc : UTIL.getSupportedCallingCodes()) {
      for (int len = 1; String.valueOf(cc).length() + len <= 15; len++) {
        String e164 = "+" + cc + "2".repeat(len);
        boolean possible = UTIL.isPossibleNumberWithReason(new Phonenumber.PhoneNumber().setCountryCode(cc)
            .setNationalNumber(Long.parseLong("2".repeat(len)))) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE;
        assertThat(CallingCodes.problem(e164)).as(e164).matches(p -> possible == (p == null));
      }
    }
  }

  @Test
  void lightCheckTakesPossibleE164AndRefusesTheRestNamingTheField() {
    assertThat(PhoneNumbers.normalize(" +14155550100 ", null, "to", NumberCheck.CALLING_CODE_LENGTH).e164())
        .isEqualTo("+14155550100");
    assertThat(PhoneNumbers.normalize("+442079460958", null, "to", NumberCheck.CALLING_CODE_LENGTH).e164())
        .isEqualTo("+442079460958");
    assertThatThrownBy(() -> PhoneNumbers.normalize("+2801234567", null, "to", NumberCheck.CALLING_CODE_LENGTH))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("to").hasMessageContaining("invalid country code");
    assertThatThrownBy(() -> PhoneNumbers.normalize("+1415555010", null, "to", NumberCheck.CALLING_CODE_LENGTH))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("too short");
    assertThatThrownBy(() -> PhoneNumbers.normalize("+12", null, "to", NumberCheck.CALLING_CODE_LENGTH))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("too short");
    assertThatThrownBy(() -> PhoneNumbers.normalize("+141555501000", null, "to", NumberCheck.CALLING_CODE_LENGTH))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("too long");
    // not E.164: read by libphonenumber in the default region, as with the full check
    assertThat(PhoneNumbers.normalize("(415) 555-0100", "US", "to", NumberCheck.CALLING_CODE_LENGTH).e164())
        .isEqualTo("+14155550100");
  }

  @Test
  void theDefaultCheckStillRefusesANumberOutsideThePlanThatTheLightCheckLetsThrough() {
    // +1 555 0100 000: ten digits (possible) but area code 555 is not assigned (not valid)
    assertThat(PhoneNumbers.normalize("+15550100000", null, "to", NumberCheck.CALLING_CODE_LENGTH).e164())
        .isEqualTo("+15550100000");
    assertThatThrownBy(() -> PhoneNumbers.normalize("+15550100000", null, "to", NumberCheck.LIBPHONENUMBER))
        .isInstanceOf(SmsValidationException.class).hasMessageContaining("not a valid number");
  }

  @Test
  void lightSenderIsTollFreeForNorthAmericanTollFreeCodesElseLongCode() {
    for (String code : new String[] {"800", "833", "844", "855", "866", "877", "888"}) {
      assertThat(Originator.parse("+1" + code + "5550100", null, NumberCheck.CALLING_CODE_LENGTH).kind())
          .isEqualTo(Originator.Kind.TOLL_FREE);
      assertThat(Originator.parse("+1" + code + "5550100", null, NumberCheck.LIBPHONENUMBER).kind())
          .isEqualTo(Originator.Kind.TOLL_FREE);
    }
    assertThat(Originator.parse("+14155550100", null, NumberCheck.CALLING_CODE_LENGTH).kind())
        .isEqualTo(Originator.Kind.LONG_CODE);
    assertThat(Originator.parse("+18225550100", null, NumberCheck.CALLING_CODE_LENGTH).kind())
        .isEqualTo(Originator.Kind.LONG_CODE);
    assertThat(Originator.parse("12345", "US", NumberCheck.CALLING_CODE_LENGTH).kind())
        .isEqualTo(Originator.Kind.SHORT_CODE);
  }
}
