package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FormFields: one pass over a form body's bytes")
class FormFieldsTest {

  private static List<Map.Entry<String, String>> entries(FormFields f) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (int i = 0; i < f.size(); i++) {
      out.add(Map.entry(f.name(i), f.value(i)));
    }
    return out;
  }

  /** What FormData makes of the body, or the exception's message. */
  private static Object viaFormData(byte[] body, int max) {
    try {
      return FormData.parse(FormData.Utf8.decodeStrict(body, body.length), max);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static Object viaFormFields(byte[] body, int max) {
    try {
      return entries(FormFields.parse(body, body.length, max));
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  @Test
  @DisplayName("accepts and refuses exactly what FormData does, with the same fields in the same order")
  void agreesWithFormData() {
    List<String> cases = List.of("", "&", "&&a=1&&", "a", "a=", "=b", "=", "a=1&a=2&b", "a=b=c", "a+b=c+d",
        "%41%42=%43", "x=%E2%82%AC", "x=%zz", "x=%4", "x=%", "x=%C3%28", "x=%FF", "Body=On+my+way%21",
        "x=\u00e9", "x=%C3", "e=%C3%A9%20%2B");
    for (String c : cases) {
      byte[] body = c.getBytes(StandardCharsets.UTF_8);
      assertThat(viaFormFields(body, 200)).as(c).isEqualTo(viaFormData(body, 200));
    }
    byte[] invalidUtf8 = {'x', '=', (byte) 0xC3, 0x28};
    assertThat(viaFormFields(invalidUtf8, 200)).isEqualTo(viaFormData(invalidUtf8, 200)).isEqualTo("invalid UTF-8");
    assertThat(viaFormFields("a=1&b=2&c=3".getBytes(StandardCharsets.UTF_8), 2))
        .isEqualTo("more than 2 parameters");

    Random random = new Random(7);
    String alphabet = "ab=&%+2F9Ez\u00e9 ";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder();
      for (int n = random.nextInt(24); n > 0; n--) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      byte[] body = s.toString().getBytes(StandardCharsets.UTF_8);
      assertThat(viaFormFields(body, 6)).as(s.toString()).isEqualTo(viaFormData(body, 6));
    }
  }

  @Test
  @DisplayName("Twilio's names, plain or escaped, in any order: get is the first value, also for a name built at run"
      + " time and for names Twilio does not send")
  void knownNames() {
    String[] names = {"AccountSid", "Body", "From", "MessageSid", "NumMedia", "SmsStatus", "To", "MediaUrl0",
        "MediaContentType9", "RawDlrDoneDate", "ChannelInstallSid", "WaId", "FromCountry", "ToZip"};
    for (String name : names) {
      String escaped = "%" + Integer.toHexString(name.charAt(0)).toUpperCase(java.util.Locale.ROOT)
          + name.substring(1);
      String built = new String(name.toCharArray()); // equal to Twilio's name, not the same string
      for (String body : List.of(name + "=plain&" + escaped + "=escaped&" + name + "=again",
          escaped + "=escaped&" + name + "=plain", "Other=x&" + name + "=plain")) {
        FormFields f = FormFields.parse(body.getBytes(StandardCharsets.UTF_8), body.length(), 200);
        String first = body.startsWith(escaped) ? "escaped" : "plain";
        assertThat(f.get(name)).as(body).isEqualTo(first);
        assertThat(f.get(built)).as(body).isEqualTo(first);
      }
    }
    FormFields f = FormFields.parse("Tx=1&Bodz=2&body=3&MediaUrl10=4".getBytes(StandardCharsets.UTF_8), 31, 200);
    assertThat(f.get("To")).isNull();
    assertThat(f.get("Body")).isNull();
    assertThat(f.get("body")).isEqualTo("3");
    assertThat(f.get("MediaUrl10")).isEqualTo("4");
    assertThat(f.get("MediaUrl" + 1 + 0)).isEqualTo("4");
    assertThat(f.get("Tx")).isEqualTo("1");
  }

  @Test
  @DisplayName("get is a name's first value, also past the size at which an index is built")
  void firstValueWins() {
    StringBuilder body = new StringBuilder("a=first");
    for (int i = 0; i < 40; i++) {
      body.append("&n").append(i).append('=').append(i).append("&a=later").append(i);
    }
    FormFields many = FormFields.parse(body.toString().getBytes(StandardCharsets.UTF_8), body.length(), 200);
    assertThat(many.size()).isEqualTo(81);
    assertThat(many.get("a")).isEqualTo("first");
    assertThat(many.get("n39")).isEqualTo("39");
    assertThat(many.get("missing")).isNull();
    FormFields few = FormFields.parse("a=1&b=2&a=3".getBytes(StandardCharsets.UTF_8), 11, 200);
    assertThat(few.get("a")).isEqualTo("1");
    assertThat(few.get("b")).isEqualTo("2");
    assertThat(few.get("c")).isNull();
  }

  @Test
  @DisplayName("each field's signed bytes are its decoded name and value in UTF-8, from the body or re-encoded")
  void copiesDecodedBytes() {
    byte[] body = "Body=On+my+way&To=%2B1415&Plain=abc&Euro=%E2%82%AC".getBytes(StandardCharsets.UTF_8);
    FormFields f = FormFields.parse(body, body.length, 200);
    byte[] out = new byte[f.byteBound()];
    int at = 0;
    for (int i = 0; i < f.size(); i++) {
      at = f.copyBytes(i, out, at);
    }
    assertThat(new String(out, 0, at, StandardCharsets.UTF_8)).isEqualTo("BodyOn my wayTo+1415PlainabcEuro\u20ac");
    byte[] utf8 = "x=\u00e9".getBytes(StandardCharsets.UTF_8);
    FormFields raw = FormFields.parse(utf8, utf8.length, 200);
    byte[] rawOut = new byte[raw.byteBound()];
    assertThat(new String(rawOut, 0, raw.copyBytes(0, rawOut, 0), StandardCharsets.UTF_8)).isEqualTo("x\u00e9");
  }

  @Test
  @DisplayName("a parse error is an IllegalArgumentException naming the problem")
  void errors() {
    assertThatThrownBy(() -> FormFields.parse("x=%zz".getBytes(StandardCharsets.UTF_8), 5, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("bad percent escape");
    assertThatThrownBy(() -> FormFields.parse("x=%4".getBytes(StandardCharsets.UTF_8), 4, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("truncated percent escape");
  }
}
