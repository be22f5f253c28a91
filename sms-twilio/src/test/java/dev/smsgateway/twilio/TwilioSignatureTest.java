package dev.smsgateway.twilio;

import static dev.smsgateway.twilio.WebhookFixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.ProviderListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Twilio request signatures")
class TwilioSignatureTest {

  // Known-answer vectors: Twilio's documented example (auth token 12345, https://mycompany.com/myapp.php?foo=1&bar=2)
  // as used by Twilio's own twilio-java RequestValidatorTest, including the port and bodySHA256 variants.
  static final String KAT_TOKEN = "12345";
  static final String KAT_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
  static final List<Map.Entry<String, String>> KAT_PARAMS = List.of(
      Map.entry("Digits", "1234"), Map.entry("CallSid", "CA1234567890ABCDE"), Map.entry("To", "+18005551212"),
      Map.entry("Caller", "+14158675309"), Map.entry("From", "+14158675309"));
  static final String KAT_BODY = "{\"property\": \"value\", \"boolean\": true}";
  static final String KAT_BODY_HASH = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

  final TwilioSignature kat = new TwilioSignature(List.of(KAT_TOKEN));

  @ParameterizedTest(name = "{0} signed {1}")
  @CsvSource({
      "https://mycompany.com/myapp.php?foo=1&bar=2,          RSOYDt4T1cUTdK1PDd93/VVr8B8=",
      "https://mycompany.com:1234/myapp.php?foo=1&bar=2,     RSOYDt4T1cUTdK1PDd93/VVr8B8=",  // port removed
      "http://mycompany.com:1234/myapp.php?foo=1&bar=2,      Zmvh+3yNM1Phv2jhDCwEM3q5ebU=",  // port kept
      "https://mycompany.com/myapp.php?foo=1&bar=2,          kvajT1Ptam85bY51eRf/AJRuM3w=",  // port 443 added
      "http://mycompany.com/myapp.php?foo=1&bar=2,           0ZXoZLH/DfblKGATFgpif+LLRf4=",  // port 80 added
  })
  void formVectors(String url, String signature) {
    assertThat(kat.validForm(url, KAT_PARAMS, signature)).isTrue();
    assertThat(kat.validForm(url, KAT_PARAMS, "NOT" + signature)).isFalse();
  }

  @Test
  @DisplayName("the documented example signs as RSOYDt4T1cUTdK1PDd93/VVr8B8=")
  void signsDocumentedExample() {
    assertThat(kat.sign(KAT_URL, KAT_PARAMS)).isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  }

  @ParameterizedTest(name = "JSON body via {0}")
  @CsvSource({
      "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620, a9nBmqA0ju/hNViExpshrM61xv4=",
      "https://mycompany.com/myapp.php?bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620,             y77kIzt2vzLz71DgmJGsen2scGs=",
  })
  void jsonVectors(String url, String signature) {
    byte[] body = KAT_BODY.getBytes(StandardCharsets.UTF_8);
    assertThat(kat.validJson(url, body, signature)).isTrue();
    assertThat(kat.validJson(url, (KAT_BODY + " ").getBytes(StandardCharsets.UTF_8), signature)).isFalse();
    assertThat(kat.validJson(KAT_URL, body, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse(); // no bodySHA256
  }

  @Test
  @DisplayName("a rotated-in secondary token is accepted next to the primary, any other is not")
  void secondaryToken() {
    TwilioSignature both = new TwilioSignature(List.of("new-token", KAT_TOKEN));
    assertThat(both.validForm(KAT_URL, KAT_PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).isTrue();
    assertThat(new TwilioSignature(List.of("other")).validForm(KAT_URL, KAT_PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8="))
        .isFalse();
  }

  @Test
  @DisplayName("kept Macs: any order, repeated names, 0-60 parameters, two signers' keys on the same 4 threads; each"
      + " check agrees with a plain HMAC-SHA1 over the sorted parameters")
  void keptMacsAgreeWithAPlainHmac() throws Exception {
    TwilioSignature a = new TwilioSignature(List.of("token-a"));
    TwilioSignature b = new TwilioSignature(List.of("token-b", "token-a"));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        done.add(pool.submit(() -> {
          Random random = new Random(seed);
          for (int i = 0; i < 150; i++) {
            List<Map.Entry<String, String>> params = new ArrayList<>();
            for (int k = random.nextInt(61); k > 0; k--) {
              params.add(Map.entry("P" + random.nextInt(8), "v\u00e9" + random.nextInt(5)));
            }
            String url = "https://sms.example.com:8443/twilio/inbound/m" + i;
            String byA = plainSignature("token-a", url, params);
            assertThat(a.validForm(url, shuffled(params, random), byA)).isTrue();
            assertThat(b.validForm(url, shuffled(params, random), byA)).isTrue(); // the secondary token
            assertThat(a.validForm(url, shuffled(params, random), plainSignature("token-b", url, params))).isFalse();
            assertThat(b.validForm(url, params, plainSignature("token-b", url.replace(":8443", ""), params)))
                .isTrue(); // the port-less variant, after a miss on the URL as given
            if (!params.isEmpty()) {
              List<Map.Entry<String, String>> changed = new ArrayList<>(params);
              changed.set(0, Map.entry(params.get(0).getKey(), params.get(0).getValue() + "x"));
              assertThat(a.validForm(url, changed, byA)).isFalse();
            }
            assertThat(a.sign(url, shuffled(params, random))).isEqualTo(byA);
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("a body's fields signed from its own bytes (escapes, '+', raw UTF-8, > 32 fields, a 20 KB body then small"
      + " ones on one thread) agree with a plain HMAC-SHA1 over the decoded, sorted parameters")
  void fieldsFromTheBodyAgreeWithAPlainHmac() {
    TwilioSignature a = new TwilioSignature(List.of("token-a"));
    Random random = new Random(11);
    String alphabet = "aZ09 +%&=\u00e9\u20ac/:";
    for (int i = 0; i < 400; i++) {
      List<Map.Entry<String, String>> params = new ArrayList<>();
      int count = i == 7 ? 40 : random.nextInt(14);
      int length = i == 5 ? 20_000 : 12;
      for (int k = 0; k < count; k++) {
        StringBuilder v = new StringBuilder();
        for (int c = random.nextInt(length); c > 0; c--) {
          v.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        params.add(Map.entry("P" + random.nextInt(6), v.toString()));
      }
      byte[] body = (random.nextBoolean() ? WebhookFixtures.encode(params) : rawEncode(params))
          .getBytes(StandardCharsets.UTF_8);
      FormFields fields = FormFields.parse(body, body.length, 200);
      String url = "https://sms.example.com/twilio/inbound/m" + (i % 3);
      String expected = plainSignature("token-a", url, params);
      assertThat(a.validForm(url, fields, expected)).as(new String(body, StandardCharsets.UTF_8)).isTrue();
      assertThat(a.validForm(url, fields, plainSignature("token-b", url, params))).isFalse();
    }
  }

  /** Only '&', '=', '%' and '+' escaped: plain fields keep their bytes, and raw UTF-8 stays raw. */
  private static String rawEncode(List<Map.Entry<String, String>> params) {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, String> e : params) {
      if (s.length() > 0) {
        s.append('&');
      }
      s.append(rawEscape(e.getKey())).append('=').append(rawEscape(e.getValue()));
    }
    return s.toString();
  }

  private static String rawEscape(String v) {
    return v.replace("%", "%25").replace("+", "%2B").replace("&", "%26").replace("=", "%3D").replace(" ", "+");
  }

  @Test
  @DisplayName("the header is compared stripped of white space, and only as the exact 28 characters")
  void headerComparison() {
    String sig = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    assertThat(kat.validForm(KAT_URL, KAT_PARAMS, " " + sig + "\t\n")).isTrue();
    assertThat(kat.validForm(KAT_URL, KAT_PARAMS, sig.substring(0, 27))).isFalse();
    assertThat(kat.validForm(KAT_URL, KAT_PARAMS, sig + "=")).isFalse();
    assertThat(kat.validForm(KAT_URL, KAT_PARAMS, sig.substring(0, 27) + "\u00c9")).isFalse();
    assertThat(kat.validForm(KAT_URL, KAT_PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8")).isFalse(); // no padding
    assertThat(kat.validForm(KAT_URL, KAT_PARAMS, "rSOYDt4T1cUTdK1PDd93/VVr8B8=")).isFalse();
    assertThat(TwilioSignature.equalsStripped(sig.getBytes(StandardCharsets.US_ASCII), "\u2003" + sig)).isTrue();
  }

  private static List<Map.Entry<String, String>> shuffled(List<Map.Entry<String, String>> params, Random random) {
    List<Map.Entry<String, String>> copy = new ArrayList<>(params);
    java.util.Collections.shuffle(copy, random);
    return copy;
  }

  /** Twilio's algorithm written out plainly: a new Mac, the parameters sorted by name then value. */
  private static String plainSignature(String token, String url, List<Map.Entry<String, String>> params) {
    List<Map.Entry<String, String>> sorted = new ArrayList<>(params);
    sorted.sort(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
    StringBuilder data = new StringBuilder(url);
    for (Map.Entry<String, String> e : sorted) {
      data.append(e.getKey()).append(e.getValue());
    }
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
      mac.init(new javax.crypto.spec.SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return java.util.Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("W2: 2,000 genuine requests accepted and 2,000 mutations of them all rejected (seed 4242)")
  void w2Mutations() {
    AtomicInteger delivered = new AtomicInteger();
    TwilioWebhookHandler handler = TwilioWebhookHandler.builder().authToken(TOKEN)
        .deduplicationWindow(java.time.Duration.ZERO)
        .listener(new ProviderListener() {
          @Override
          public void onInbound(InboundSms sms) {
            delivered.incrementAndGet();
          }

          @Override
          public void onDeliveryReport(DeliveryReport report) {
            delivered.incrementAndGet();
          }
        }).build();
    Random random = new Random(4242);
    int genuineAccepted = 0;
    int mutationsRejected = 0;
    Map<String, Integer> rejectedByKind = new java.util.TreeMap<>();
    for (int i = 0; i < 2000; i++) {
      String url = i % 2 == 0 ? WebhookFixtures.INBOUND_URL : WebhookFixtures.STATUS_URL;
      List<Map.Entry<String, String>> params = i % 2 == 0
          ? WebhookFixtures.inbound(WebhookFixtures.sid("SM", i), randomText(random))
          : WebhookFixtures.status(WebhookFixtures.sid("SM", i), "delivered", null);
      String sig = WebhookFixtures.sign(TOKEN, url, params);
      if (handler.handle("POST", url, WebhookFixtures.headers(sig), bytes(params)).status() == 200) {
        genuineAccepted++;
      }
      // One mutation of each genuine request, cycling through the kinds.
      String kind;
      String mUrl = url;
      String mSig = sig;
      List<Map.Entry<String, String>> mParams = new ArrayList<>(params);
      switch (i % 8) {
        case 0 -> {
          kind = "value";
          int k = random.nextInt(mParams.size());
          Map.Entry<String, String> e = mParams.get(k);
          mParams.set(k, Map.entry(e.getKey(), mutate(e.getValue(), random)));
        }
        case 1 -> {
          kind = "added-param";
          mParams.add(Map.entry("Extra" + random.nextInt(1000), "x"));
        }
        case 2 -> {
          kind = "removed-param";
          mParams.remove(random.nextInt(mParams.size()));
        }
        case 3 -> {
          kind = "url";
          mUrl = mutate(url, random);
        }
        case 4 -> {
          kind = "signature";
          mSig = mutateBase64(sig, random);
        }
        case 5 -> {
          kind = "wrong-token";
          mSig = WebhookFixtures.sign(TOKEN + "x", url, params);
        }
        case 6 -> {
          kind = "host";
          mUrl = url.replace("sms.example.com", "sms.example.org");
        }
        default -> {
          kind = "name";
          int k = random.nextInt(mParams.size());
          Map.Entry<String, String> e = mParams.get(k);
          mParams.set(k, Map.entry(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
        }
      }
      if (mParams.equals(params) && mUrl.equals(url) && mSig.equals(sig)) {
        throw new AssertionError("mutation " + kind + " changed nothing");
      }
      int status = handler.handle("POST", mUrl, WebhookFixtures.headers(mSig), bytes(mParams)).status();
      if (status == 403) {
        mutationsRejected++;
        rejectedByKind.merge(kind, 1, Integer::sum);
      }
    }
    assertThat(genuineAccepted).isEqualTo(2000);
    assertThat(mutationsRejected).as("rejected by kind %s", rejectedByKind).isEqualTo(2000);
    assertThat(delivered.get()).isEqualTo(2000);
  }

  static byte[] bytes(List<Map.Entry<String, String>> params) {
    return WebhookFixtures.encode(params).getBytes(StandardCharsets.UTF_8);
  }

  static String randomText(Random random) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz ABC 0123456789 é€😀!?&=+%";
    StringBuilder sb = new StringBuilder();
    int n = 1 + random.nextInt(40);
    for (int i = 0; i < n; i++) {
      sb.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
    }
    return sb.toString();
  }

  static String mutate(String s, Random random) {
    char[] c = s.toCharArray();
    int k = random.nextInt(c.length);
    char replacement;
    do {
      replacement = (char) ('0' + random.nextInt(75));
    } while (replacement == c[k]);
    c[k] = replacement;
    return new String(c);
  }

  static String mutateBase64(String s, Random random) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char[] c = s.toCharArray();
    int k = random.nextInt(c.length - 2); // the last characters may be padding
    char replacement;
    do {
      replacement = alphabet.charAt(random.nextInt(alphabet.length()));
    } while (replacement == c[k]);
    c[k] = replacement;
    return new String(c);
  }
}
