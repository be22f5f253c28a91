package dev.smsgateway.twilio;

import static dev.smsgateway.twilio.WebhookFixtures.INBOUND_URL;
import static dev.smsgateway.twilio.WebhookFixtures.STATUS_URL;
import static dev.smsgateway.twilio.WebhookFixtures.TOKEN;
import static dev.smsgateway.twilio.WebhookFixtures.headers;
import static dev.smsgateway.twilio.WebhookFixtures.sign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("TwilioWebhookHandler")
class TwilioWebhookHandlerTest {

  /** A settable clock. */
  static final class TestClock extends Clock {
    volatile Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final List<InboundSms> inbound = new CopyOnWriteArrayList<>();
  final List<DeliveryReport> reports = new CopyOnWriteArrayList<>();
  final AtomicBoolean failing = new AtomicBoolean();
  final TestClock clock = new TestClock();
  TwilioWebhookHandler handler;

  final ProviderListener listener = new ProviderListener() {
    @Override
    public void onInbound(InboundSms sms) {
      if (failing.get()) {
        throw new IllegalStateException("store down");
      }
      inbound.add(sms);
    }

    @Override
    public void onDeliveryReport(DeliveryReport report) {
      if (failing.get()) {
        throw new IllegalStateException("store down");
      }
      reports.add(report);
    }
  };

  @BeforeEach
  void setUp() {
    handler = TwilioWebhookHandler.builder().provider("tw").authToken(TOKEN).accountSid(FakeTwilioApi.ACCOUNT)
        .clock(clock).listener(listener).build();
  }

  WebhookResponse post(String url, List<Map.Entry<String, String>> params) {
    return handler.handle("POST", url, headers(sign(TOKEN, url, params)),
        WebhookFixtures.encode(params).getBytes(StandardCharsets.UTF_8));
  }

  @Nested
  @DisplayName("inbound messages")
  class Inbound {

    @Test
    @DisplayName("become InboundSms with normalized numbers, media, opt-out type and mapping, answered with empty TwiML")
    void parsed() {
      List<Map.Entry<String, String>> p = new ArrayList<>(WebhookFixtures.inbound(WebhookFixtures.sid("MM", 1), "STOP"));
      p.removeIf(e -> e.getKey().equals("NumMedia") || e.getKey().equals("NumSegments"));
      p.add(Map.entry("NumMedia", "2"));
      p.add(Map.entry("NumSegments", "3"));
      p.add(Map.entry("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1"));
      p.add(Map.entry("MediaContentType0", "image/jpeg"));
      p.add(Map.entry("MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME2"));
      p.add(Map.entry("MediaContentType1", "video/mp4"));
      p.add(Map.entry("OptOutType", "STOP"));
      WebhookResponse r = post(INBOUND_URL, p);

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers().get("Content-Type")).startsWith("text/xml");
      assertThat(r.body()).endsWith("<Response/>");
      assertThat(inbound).hasSize(1);
      InboundSms sms = inbound.get(0);
      assertThat(sms.provider()).isEqualTo("tw");
      assertThat(sms.providerMessageId()).isEqualTo(WebhookFixtures.sid("MM", 1));
      assertThat(sms.from()).isEqualTo(PhoneNumber.of("+14155550123"));
      assertThat(sms.to()).isEqualTo(Originator.longCode(PhoneNumber.of("+14155550100")));
      assertThat(sms.body()).isEqualTo("STOP");
      assertThat(sms.parts()).isEqualTo(3);
      assertThat(sms.receivedAt()).isEqualTo(clock.now);
      assertThat(sms.mediaUrls()).hasSize(2).first().isEqualTo(
          URI.create("https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1"));
      assertThat(sms.attributes()).containsEntry("optOutType", "STOP").containsEntry("mapping", "sales")
          .containsEntry("mediaContentType1", "video/mp4").containsEntry("accountSid", FakeTwilioApi.ACCOUNT);
    }

    @Test
    @DisplayName("to a short code gives a short-code Originator in ToCountry")
    void shortCode() {
      List<Map.Entry<String, String>> p = new ArrayList<>(WebhookFixtures.inbound(WebhookFixtures.sid("SM", 2), "hi"));
      p.removeIf(e -> e.getKey().equals("To"));
      p.add(Map.entry("To", "89757"));
      assertThat(post(INBOUND_URL, p).status()).isEqualTo(200);
      assertThat(inbound.get(0).to()).isEqualTo(Originator.shortCode("89757", "US"));
    }

    @Test
    @DisplayName("a business number is read in each request's own ToCountry, also when it alternates")
    void shortCodeCountryPerRequest() {
      int n = 200;
      for (String country : List.of("US", "CA", "US", "ca")) {
        List<Map.Entry<String, String>> p = new ArrayList<>(WebhookFixtures.inbound(WebhookFixtures.sid("SM", n++), "hi"));
        p.replaceAll(e -> e.getKey().equals("To") ? Map.entry("To", "89757")
            : e.getKey().equals("ToCountry") ? Map.entry("ToCountry", country) : e);
        assertThat(post(INBOUND_URL, p).status()).isEqualTo(200);
      }
      assertThat(inbound).extracting(InboundSms::to).containsExactly(Originator.shortCode("89757", "US"),
          Originator.shortCode("89757", "CA"), Originator.shortCode("89757", "US"), Originator.shortCode("89757", "CA"));
    }

    @Test
    @DisplayName("to an E.164 number libphonenumber does not know is still taken, as a long code")
    void unknownRangeBusinessNumber() {
      List<Map.Entry<String, String>> p = new ArrayList<>(WebhookFixtures.inbound(WebhookFixtures.sid("SM", 6), "hi"));
      p.replaceAll(e -> e.getKey().equals("To") ? Map.entry("To", "+19995550100") : e);
      assertThat(post(INBOUND_URL, p).status()).isEqualTo(200);
      assertThat(inbound.get(0).to()).isEqualTo(Originator.longCode(PhoneNumber.of("+19995550100")));
    }

    @Test
    @DisplayName("a redelivered MessageSid is acknowledged but reaches the listener once")
    void dedup() {
      List<Map.Entry<String, String>> p = WebhookFixtures.inbound(WebhookFixtures.sid("SM", 3), "hello");
      assertThat(post(INBOUND_URL, p).status()).isEqualTo(200);
      assertThat(post(INBOUND_URL, p).status()).isEqualTo(200);
      assertThat(inbound).hasSize(1);
    }

    @Test
    @DisplayName("old replays: a MessageSid is recognized for the 24 h window, and routed again after it")
    void replayWindow() {
      List<Map.Entry<String, String>> p = WebhookFixtures.inbound(WebhookFixtures.sid("SM", 4), "hello");
      post(INBOUND_URL, p);
      clock.now = clock.now.plus(Duration.ofHours(2));
      post(INBOUND_URL, p);
      assertThat(inbound).hasSize(1);
      clock.now = clock.now.plus(Duration.ofHours(23));
      post(INBOUND_URL, p);
      assertThat(inbound).hasSize(2);
    }

    @Test
    @DisplayName("a de-duplication window of centuries is accepted by the builder and works: 200, then a duplicate")
    void hugeWindow() {
      handler = TwilioWebhookHandler.builder().provider("tw").authToken(TOKEN).accountSid(FakeTwilioApi.ACCOUNT)
          .clock(clock).listener(listener).deduplicationWindow(Duration.ofSeconds(Long.MAX_VALUE)).build();
      List<Map.Entry<String, String>> p = WebhookFixtures.inbound(WebhookFixtures.sid("SM", 6), "hello");
      assertThat(post(INBOUND_URL, p).status()).isEqualTo(200);
      clock.now = clock.now.plus(Duration.ofDays(365 * 100));
      assertThat(post(INBOUND_URL, p).status()).isEqualTo(200);
      assertThat(inbound).hasSize(1);
    }

    @Test
    @DisplayName("a listener that throws gets 503, and Twilio's retry is then processed")
    void listenerFails() {
      List<Map.Entry<String, String>> p = WebhookFixtures.inbound(WebhookFixtures.sid("SM", 5), "hello");
      failing.set(true);
      assertThat(post(INBOUND_URL, p).status()).isEqualTo(503);
      failing.set(false);
      assertThat(post(INBOUND_URL, p).status()).isEqualTo(200);
      assertThat(inbound).hasSize(1);
    }
  }

  @Nested
  @DisplayName("status callbacks")
  class Status {

    @Test
    @DisplayName("become DeliveryReports with our message id from the callback URL and the error code")
    void parsed() {
      assertThat(post(STATUS_URL, WebhookFixtures.status(WebhookFixtures.sid("SM", 10), "undelivered", "30007"))
          .status()).isEqualTo(200);
      DeliveryReport r = reports.get(0);
      assertThat(r.provider()).isEqualTo("tw");
      assertThat(r.providerMessageId()).isEqualTo(WebhookFixtures.sid("SM", 10));
      assertThat(r.messageId()).contains("m-42");
      assertThat(r.status()).isEqualTo(DeliveryStatus.REJECTED);
      assertThat(r.rawStatus()).isEqualTo("undelivered");
      assertThat(r.errorCode()).contains("30007");
    }

    @Test
    @DisplayName("de-duplicate by (MessageSid, status) without dropping later states")
    void dedupKeepsLaterStates() {
      String sid = WebhookFixtures.sid("SM", 11);
      for (String s : List.of("queued", "sent", "sent", "delivered", "sent", "delivered")) {
        assertThat(post(STATUS_URL, WebhookFixtures.status(sid, s, null)).status()).isEqualTo(200);
      }
      assertThat(reports).extracting(DeliveryReport::rawStatus).containsExactly("queued", "sent", "delivered");
    }
  }

  @Nested
  @DisplayName("bad requests, never a 5xx")
  class Bad {

    @Test
    @DisplayName("405 for GET, 415 for text/plain, 403 without or with a wrong signature, 400 for malformed bodies")
    void statuses() {
      List<Map.Entry<String, String>> p = WebhookFixtures.inbound(WebhookFixtures.sid("SM", 20), "hello");
      byte[] body = WebhookFixtures.encode(p).getBytes(StandardCharsets.UTF_8);
      String sig = sign(TOKEN, INBOUND_URL, p);
      WebhookResponse get = handler.handle("GET", INBOUND_URL, headers(sig), body);
      assertThat(get.status()).isEqualTo(405);
      assertThat(get.headers()).containsEntry("Allow", "POST");
      assertThat(handler.handle("POST", INBOUND_URL, Map.of("Content-Type", List.of("text/plain"),
          "X-Twilio-Signature", List.of(sig)), body).status()).isEqualTo(415);
      assertThat(handler.handle("POST", INBOUND_URL, Map.of("Content-Type",
          List.of("application/x-www-form-urlencoded")), body).status()).isEqualTo(403);
      assertThat(handler.handle("POST", INBOUND_URL, headers("AAAA"), body).status()).isEqualTo(403);
      assertThat(handler.handle("POST", INBOUND_URL, headers(sig), "Body=%zz".getBytes(StandardCharsets.UTF_8))
          .status()).isEqualTo(400);
      assertThat(handler.handle("POST", INBOUND_URL, headers(sig), new byte[] {(byte) 0xC3, 0x28}).status())
          .isEqualTo(400);
      // Genuinely signed but without the fields Twilio always sends.
      List<Map.Entry<String, String>> empty = List.of(Map.entry("Foo", "bar"));
      assertThat(post(INBOUND_URL, empty).status()).isEqualTo(400);
      List<Map.Entry<String, String>> badFrom = new ArrayList<>(p);
      badFrom.replaceAll(e -> e.getKey().equals("From") ? Map.entry("From", "not-a-number") : e);
      assertThat(post(INBOUND_URL, badFrom).status()).isEqualTo(400);
      List<Map.Entry<String, String>> otherAccount = new ArrayList<>(p);
      otherAccount.replaceAll(e -> e.getKey().equals("AccountSid") ? Map.entry("AccountSid", "AC" + "9".repeat(32)) : e);
      assertThat(post(INBOUND_URL, otherAccount).status()).isEqualTo(403);
      assertThat(inbound).isEmpty();
    }

    @Test
    @DisplayName("413 from Content-Length before reading, and from a capped read of a body without one")
    void bodyCap() {
      CountingStream declared = new CountingStream(new byte[10 * 1024 * 1024]);
      Map<String, List<String>> h = Map.of("Content-Type", List.of("application/x-www-form-urlencoded"),
          "Content-Length", List.of(String.valueOf(10 * 1024 * 1024)), "X-Twilio-Signature", List.of("x"));
      assertThat(handler.handle("POST", INBOUND_URL, h, declared).status()).isEqualTo(413);
      assertThat(declared.read).isZero();

      CountingStream chunked = new CountingStream(new byte[10 * 1024 * 1024]);
      assertThat(handler.handle("POST", INBOUND_URL, headers("x"), chunked).status()).isEqualTo(413);
      assertThat(chunked.read).isLessThanOrEqualTo(TwilioWebhookHandler.MAX_BODY_BYTES + 1);
    }

    @Test
    @DisplayName("JSON bodies are accepted through bodySHA256; deep JSON and wrong hashes are refused")
    void json() throws Exception {
      String sid = WebhookFixtures.sid("SM", 30);
      byte[] body = ("{\"MessageSid\":\"" + sid + "\",\"MessageStatus\":\"delivered\",\"AccountSid\":\""
          + FakeTwilioApi.ACCOUNT + "\"}").getBytes(StandardCharsets.UTF_8);
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
      String url = WebhookFixtures.BASE + "/twilio/status?bodySHA256=" + hash;
      Map<String, List<String>> h = Map.of("Content-Type", List.of("application/json"),
          "X-Twilio-Signature", List.of(sign(TOKEN, url, List.of())));
      assertThat(handler.handle("POST", url, h, body).status()).isEqualTo(200);
      assertThat(reports).hasSize(1);
      assertThat(reports.get(0).status()).isEqualTo(DeliveryStatus.DELIVERED);

      byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("delivered", "failed")
          .getBytes(StandardCharsets.UTF_8);
      assertThat(handler.handle("POST", url, h, tampered).status()).isEqualTo(403);

      byte[] deep = ("{\"MessageSid\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5001)).getBytes(StandardCharsets.UTF_8);
      String deepUrl = WebhookFixtures.BASE + "/twilio/status?bodySHA256="
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(deep));
      assertThat(handler.handle("POST", deepUrl, Map.of("Content-Type", List.of("application/json"),
          "X-Twilio-Signature", List.of(sign(TOKEN, deepUrl, List.of()))), deep).status()).isEqualTo(400);
    }
  }

  @Nested
  @DisplayName("what each request is checked and read by")
  class Details {

    WebhookResponse postAs(String contentType, String url, List<Map.Entry<String, String>> params) {
      return handler.handle("POST", url, Map.of("Content-Type", List.of(contentType), "X-Twilio-Signature",
          List.of(sign(TOKEN, url, params))), WebhookFixtures.encode(params).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("the media type is read before any ';', white space stripped, case ignored; anything else is 415")
    void mediaType() {
      int n = 40;
      for (String type : List.of("application/x-www-form-urlencoded", " Application/X-WWW-Form-URLencoded ",
          "application/x-www-form-urlencoded; charset=UTF-8", "\tAPPLICATION/x-www-form-urlencoded;")) {
        assertThat(postAs(type, INBOUND_URL, WebhookFixtures.inbound(WebhookFixtures.sid("SM", n++), "hi")).status())
            .as(type).isEqualTo(200);
      }
      for (String type : List.of("application/x-www-form-urlencodedx", "application/x-www-form", "",
          "application /x-www-form-urlencoded", "text/plain; application/x-www-form-urlencoded")) {
        assertThat(postAs(type, INBOUND_URL, WebhookFixtures.inbound(WebhookFixtures.sid("SM", n++), "hi")).status())
            .as(type).isEqualTo(415);
      }
      assertThat(inbound).hasSize(4);
    }

    @Test
    @DisplayName("headers: any case; the exact name before another case; an empty list counts as absent")
    void headerNames() {
      List<Map.Entry<String, String>> p = WebhookFixtures.inbound(WebhookFixtures.sid("SM", 50), "hi");
      byte[] body = WebhookFixtures.encode(p).getBytes(StandardCharsets.UTF_8);
      String sig = sign(TOKEN, INBOUND_URL, p);
      Map<String, List<String>> lower = Map.of("content-type", List.of("application/x-www-form-urlencoded"),
          "x-twilio-signature", List.of(sig), "content-length", List.of(String.valueOf(body.length)));
      assertThat(handler.handle("POST", INBOUND_URL, lower, body).status()).isEqualTo(200);

      Map<String, List<String>> both = new java.util.LinkedHashMap<>();
      both.put("x-twilio-signature", List.of("AAAA"));
      both.put("X-Twilio-Signature", List.of(sig));
      both.put("Content-Type", List.of());
      both.put("CONTENT-TYPE", List.of("application/x-www-form-urlencoded"));
      List<Map.Entry<String, String>> p2 = WebhookFixtures.inbound(WebhookFixtures.sid("SM", 51), "hi");
      both.put("X-Twilio-Signature", List.of(sign(TOKEN, INBOUND_URL, p2)));
      assertThat(handler.handle("POST", INBOUND_URL, both, WebhookFixtures.encode(p2).getBytes(StandardCharsets.UTF_8))
          .status()).isEqualTo(200);

      Map<String, List<String>> emptyExact = new java.util.LinkedHashMap<>();
      emptyExact.put("X-Twilio-Signature", List.of());
      emptyExact.put("Content-Type", List.of("application/x-www-form-urlencoded"));
      assertThat(handler.handle("POST", INBOUND_URL, emptyExact, body).status()).isEqualTo(403);
      List<Map.Entry<String, String>> p3 = WebhookFixtures.inbound(WebhookFixtures.sid("SM", 52), "hi");
      emptyExact.put("x-TWILIO-signature", List.of(sign(TOKEN, INBOUND_URL, p3)));
      assertThat(handler.handle("POST", INBOUND_URL, emptyExact,
          WebhookFixtures.encode(p3).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
      assertThat(inbound).hasSize(3);
    }

    @Test
    @DisplayName("MessageSid must be two capital letters and 32 hex digits (either case)")
    void sid() {
      String hex = "0123456789abcdefABCDEF0123456789";
      assertThat(post(INBOUND_URL, WebhookFixtures.inbound("SM" + hex, "hi")).status()).isEqualTo(200);
      assertThat(post(INBOUND_URL, WebhookFixtures.inbound("MM" + hex.toLowerCase(), "hi")).status()).isEqualTo(200);
      for (String bad : List.of("sm" + hex, "S1" + hex, "SM" + hex.substring(1), "SM" + hex + "0",
          "SM" + hex.substring(1) + "g", "SMM" + hex.substring(1))) {
        assertThat(post(INBOUND_URL, WebhookFixtures.inbound(bad, "hi")).status()).as(bad).isEqualTo(400);
        assertThat(post(STATUS_URL, WebhookFixtures.status(bad, "sent", null)).status()).as(bad).isEqualTo(400);
      }
      assertThat(inbound).hasSize(2);
      assertThat(reports).isEmpty();
    }

    @Test
    @DisplayName("each request's mapping attribute comes from its own URL, also when URLs alternate")
    void mappingPerUrl() {
      String support = WebhookFixtures.BASE + "/twilio/inbound/support";
      String bad = WebhookFixtures.BASE + "/twilio/inbound/no%20code";
      String[] urls = {INBOUND_URL, support, INBOUND_URL, bad, support};
      for (int i = 0; i < urls.length; i++) {
        assertThat(post(urls[i], WebhookFixtures.inbound(WebhookFixtures.sid("SM", 60 + i), "hi")).status())
            .isEqualTo(200);
      }
      assertThat(inbound).extracting(m -> m.attributes().get("mapping"))
          .containsExactly("sales", "support", "sales", null, "support");
    }

    @Test
    @DisplayName("attributes: only what was sent, the account and the mapping when nothing else")
    void fewAttributes() {
      List<Map.Entry<String, String>> p = new ArrayList<>(WebhookFixtures.inbound(WebhookFixtures.sid("SM", 70), "hi"));
      p.removeIf(e -> e.getKey().endsWith("Country"));
      assertThat(post(INBOUND_URL, p).status()).isEqualTo(200);
      assertThat(inbound.get(0).attributes()).containsExactlyInAnyOrderEntriesOf(
          Map.of("accountSid", FakeTwilioApi.ACCOUNT, "mapping", "sales"));
      assertThat(inbound.get(0).mediaUrls()).isEmpty();
    }

    @Test
    @DisplayName("an inbound message and a status callback with the same MessageSid are both taken, and each is"
        + " de-duplicated on its own")
    void inboundAndStatusKeysApart() {
      String sid = WebhookFixtures.sid("SM", 80);
      assertThat(post(INBOUND_URL, WebhookFixtures.inbound(sid, "hi")).status()).isEqualTo(200);
      assertThat(post(STATUS_URL, WebhookFixtures.status(sid, "sent", null)).status()).isEqualTo(200);
      assertThat(post(INBOUND_URL, WebhookFixtures.inbound(sid, "hi")).status()).isEqualTo(200);
      assertThat(post(STATUS_URL, WebhookFixtures.status(sid, "sent", null)).status()).isEqualTo(200);
      assertThat(inbound).hasSize(1);
      assertThat(reports).hasSize(1);
    }

    @Test
    @DisplayName("a body of more than 16 fields: each field is its first value")
    void manyFields() {
      List<Map.Entry<String, String>> p = new ArrayList<>(WebhookFixtures.inbound(WebhookFixtures.sid("SM", 90), "first"));
      for (int i = 0; i < 20; i++) {
        p.add(Map.entry("Extra" + i, "x"));
      }
      p.add(Map.entry("Body", "second"));
      assertThat(post(INBOUND_URL, p).status()).isEqualTo(200);
      assertThat(inbound.get(0).body()).isEqualTo("first");
    }
  }

  /** Counts the bytes a consumer actually read. */
  static final class CountingStream extends FilterInputStream {
    long read;

    CountingStream(byte[] data) {
      super(new ByteArrayInputStream(data));
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        read++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        read += n;
      }
      return n;
    }
  }

  static InputStream stream(byte[] b) {
    return new ByteArrayInputStream(b);
  }
}
