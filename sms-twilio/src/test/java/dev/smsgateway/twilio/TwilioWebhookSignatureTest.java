package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The public {@link TwilioWebhookSignature}: the same answers as the handler's own check. */
class TwilioWebhookSignatureTest {

  private final TwilioWebhookSignature kat = TwilioWebhookSignature.of(List.of(TwilioSignatureTest.KAT_TOKEN));

  @Test
  void acceptsTwiliosDocumentedExampleAndRefusesAChangedParameter() {
    assertThat(kat.validForm(TwilioSignatureTest.KAT_URL, TwilioSignatureTest.KAT_PARAMS,
        "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
    assertThat(kat.sign(TwilioSignatureTest.KAT_URL, TwilioSignatureTest.KAT_PARAMS))
        .isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    List<Map.Entry<String, String>> changed = new ArrayList<>(TwilioSignatureTest.KAT_PARAMS);
    changed.set(0, Map.entry("Digits", "1235"));
    assertThat(kat.validForm(TwilioSignatureTest.KAT_URL, changed, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
    assertThat(kat.validForm(TwilioSignatureTest.KAT_URL, TwilioSignatureTest.KAT_PARAMS, null)).isFalse();
  }

  @Test
  void aRotatedTokenStillVerifiesAndBlankTokensAreRefused() {
    TwilioWebhookSignature rotating = TwilioWebhookSignature.of(List.of("new-token", TwilioSignatureTest.KAT_TOKEN));
    assertThat(rotating.validForm(TwilioSignatureTest.KAT_URL, TwilioSignatureTest.KAT_PARAMS,
        "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
    assertThatThrownBy(() -> TwilioWebhookSignature.of(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TwilioWebhookSignature.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesFormBodiesStrictly() {
    assertThat(TwilioWebhookSignature.parseForm("a=1&b=%2B1+2&a=3", 10))
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "+1 2"), Map.entry("a", "3"));
    assertThatThrownBy(() -> TwilioWebhookSignature.parseForm("a=%zz", 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TwilioWebhookSignature.parseForm("a=1&b=2", 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
