package dev.smsgateway.email;

import static dev.smsgateway.email.EmailWorld.ALICE;
import static dev.smsgateway.email.EmailWorld.SUPPORT_BOX;
import static dev.smsgateway.email.EmailWorld.email;
import static dev.smsgateway.email.SesNotifications.SUBJECT;
import static dev.smsgateway.email.SesNotifications.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.sun.net.httpserver.HttpServer;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.eum.SnsMessageVerifier;
import dev.smsgateway.eum.SnsTestSigning;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

/** SES receipt notifications, signed by a test CA as SNS signs them, over HTTP and as Lambda SNSEvents. */
@DisplayName("SES through SNS")
class SesSnsTest {

  // One CA for the class: RSA key generation is the slow part of these tests.
  static final SnsTestSigning signing = SnsTestSigning.create(java.time.Instant.parse("2026-11-23T10:00:00Z"));
  EmailWorld world;
  SnsMessageVerifier verifier;
  EmailOrigination origination;

  @BeforeEach
  void setUp() {
    world = new EmailWorld();
    verifier = SnsMessageVerifier.builder().allowTopicArns(List.of(TOPIC)).certificateFetcher(signing.fetcher())
        .trustAnchors(signing.anchors()).clock(world.clock).build();
    origination = world.origination().requiredChecks(java.util.EnumSet.of(AuthCheck.SPF, AuthCheck.DKIM,
        AuthCheck.DMARC)).build();
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  byte[] agentEmail(String body) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    email(ALICE, SUPPORT_BOX, "+1 415 555 0123", body).writeTo(out);
    return out.toByteArray();
  }

  Map<String, String> snsFields(String sesJson) {
    return SnsTestSigning.notification(TOPIC, SUBJECT, sesJson, world.clock.instant());
  }

  @Nested
  @DisplayName("HTTP subscription")
  class Http {
    HttpServer server;
    SesSnsWebhookHandler handler;
    URI endpoint;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
      handler = SesSnsWebhookHandler.builder(origination).verifier(verifier).build();
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/ses", handler.httpHandler());
      server.start();
      endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ses");
    }

    @AfterEach
    void stop() {
      server.stop(0);
    }

    HttpResponse<String> post(String body) throws Exception {
      return client.send(HttpRequest.newBuilder(endpoint).header("x-amz-sns-message-type", "Notification")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("a signed notification (UTF8 and BASE64 content) sends once; SNS's redelivery is a duplicate")
    void sends() throws Exception {
      String utf8 = signing.sign(snsFields(SesNotifications.received(agentEmail("Your table is ready."), SUPPORT_BOX,
          SesNotifications.passing(), false, world.clock.instant())));
      HttpResponse<String> first = post(utf8);
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("sent");
      assertThat(post(utf8).body()).isEqualTo("duplicate");

      String b64 = signing.sign(snsFields(SesNotifications.received(agentEmail("Base64 content."), SUPPORT_BOX,
          SesNotifications.passing(), true, world.clock.instant())));
      assertThat(post(b64).body()).isEqualTo("sent");
      assertThat(world.provider.submitted()).extracting(SubmitRequest::body)
          .containsExactly("Your table is ready.", "Base64 content.");
    }

    @Test
    @DisplayName("SES's verdicts count: DMARC FAIL is refused and answered")
    void verdicts() throws Exception {
      Map<String, String> verdicts = new HashMap<>(SesNotifications.passing());
      verdicts.put("dmarcVerdict", "FAIL");
      HttpResponse<String> r = post(signing.sign(snsFields(SesNotifications.received(agentEmail("x"), SUPPORT_BOX,
          verdicts, false, world.clock.instant()))));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("refused");
      assertThat(world.mail.waitForIncomingEmail(5_000, 1)).isTrue();
      assertThat((String) world.received()[0].getContent()).contains("DMARC check did not pass (FAIL)");
      assertThat(world.provider.submitted()).isEmpty();
    }

    @Test
    @DisplayName("tampered content is refused 403 before anything is handled")
    void tampered() throws Exception {
      Map<String, String> fields = snsFields(SesNotifications.received(agentEmail("genuine"), SUPPORT_BOX,
          SesNotifications.passing(), false, world.clock.instant()));
      fields.put("Signature", signing.signature(fields));
      fields.put("Message", SesNotifications.received(agentEmail("forged"), SUPPORT_BOX, SesNotifications.passing(),
          false, world.clock.instant()));
      assertThat(post(SesNotifications.JSON.writeValueAsString(fields)).statusCode()).isEqualTo(403);
      assertThat(world.provider.submitted()).isEmpty();
    }

    @Test
    @DisplayName("an email that cannot be handled now answers 503 (SNS retries); the retry sends once")
    void notTaken() throws Exception {
      String body = signing.sign(snsFields(SesNotifications.received(agentEmail("later"), SUPPORT_BOX,
          SesNotifications.passing(), false, world.clock.instant())));
      world.flakyOriginators.failNextPuts.set(1);
      assertThat(post(body).statusCode()).isEqualTo(503);
      assertThat(post(body).statusCode()).isEqualTo(200);
      assertThat(world.provider.submitted()).hasSize(1);
    }

    @Test
    @DisplayName("other notifications are ignored (200); a notification without content and a GET are refused")
    void others() throws Exception {
      assertThat(post(signing.sign(snsFields("{\"notificationType\":\"AmazonSnsSubscriptionSucceeded\"}"))).body())
          .isEqualTo("ignored");
      HttpResponse<String> noContent = post(signing.sign(snsFields("{\"notificationType\":\"Received\","
          + "\"receipt\":{\"action\":{\"type\":\"Lambda\"}}}")));
      assertThat(noContent.statusCode()).isEqualTo(400);
      assertThat(noContent.body()).contains("SNS action");
      assertThat(client.send(HttpRequest.newBuilder(endpoint).GET().build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(405);
    }

    @Test
    @DisplayName("a subscription confirmation is confirmed through the real SNS client, only the topic owner may"
        + " unsubscribe")
    void confirms() throws Exception {
      List<String> requests = new CopyOnWriteArrayList<>();
      HttpServer sns = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      sns.createContext("/", ex -> {
        requests.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        byte[] xml = ("<ConfirmSubscriptionResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
            + "<ConfirmSubscriptionResult><SubscriptionArn>" + TOPIC + ":sub-1</SubscriptionArn>"
            + "</ConfirmSubscriptionResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>"
            + "</ConfirmSubscriptionResponse>").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/xml");
        ex.sendResponseHeaders(200, xml.length);
        ex.getResponseBody().write(xml);
        ex.close();
      });
      sns.start();
      try (SnsAsyncClient snsClient = SnsTestSigning.snsClient(URI.create("http://127.0.0.1:"
          + sns.getAddress().getPort()))) {
        server.removeContext("/ses");
        server.createContext("/ses", SesSnsWebhookHandler.builder(origination).verifier(verifier)
            .snsClient(snsClient).build().httpHandler());
        Map<String, String> confirmation = SnsTestSigning.subscriptionConfirmation(TOPIC, world.clock.instant());
        HttpResponse<String> r = post(signing.sign(confirmation));
        assertThat(r.body()).isEqualTo("confirmed");
        assertThat(requests).singleElement().satisfies(b -> assertThat(b).contains("Action=ConfirmSubscription")
            .contains("AuthenticateOnUnsubscribe=true").contains("Token=" + confirmation.get("Token")));
      } finally {
        sns.stop(0);
      }
    }
  }

  @Nested
  @DisplayName("Lambda SNSEvent")
  class Lambda {

    SNSEvent event(Map<String, String> fields, String signature) {
      SNSEvent.SNS sns = new SNSEvent.SNS();
      sns.setType(fields.get("Type"));
      sns.setMessageId(fields.get("MessageId"));
      sns.setTopicArn(fields.get("TopicArn"));
      sns.setSubject(fields.get("Subject"));
      sns.setMessage(fields.get("Message"));
      sns.setTimestamp(new DateTime(world.clock.millis(), DateTimeZone.UTC));
      sns.setSignatureVersion(fields.get("SignatureVersion"));
      sns.setSignature(signature);
      sns.setSigningCertUrl(fields.get("SigningCertURL"));
      sns.setUnsubscribeUrl(fields.get("UnsubscribeURL"));
      SNSEvent.SNSRecord record = new SNSEvent.SNSRecord();
      record.setEventSource("aws:sns");
      record.setEventVersion("1.0");
      record.setEventSubscriptionArn(TOPIC + ":sub-1");
      record.setSns(sns);
      SNSEvent event = new SNSEvent();
      event.setRecords(List.of(record));
      return event;
    }

    @Test
    @DisplayName("a verified record is sent; the same event again is a duplicate")
    void sends() throws Exception {
      SesSnsLambdaHandler handler = new SesSnsLambdaHandler(origination, verifier) { };
      Map<String, String> fields = snsFields(SesNotifications.received(agentEmail("From Lambda."), SUPPORT_BOX,
          SesNotifications.passing(), true, world.clock.instant()));
      SNSEvent event = event(fields, signing.signature(fields));
      assertThat(handler.handleRequest(event, null)).isEqualTo("sent=1 refused=0 duplicate=0 skipped=0");
      assertThat(handler.handleRequest(event, null)).isEqualTo("sent=0 refused=0 duplicate=1 skipped=0");
      assertThat(world.provider.submitted()).extracting(SubmitRequest::body).containsExactly("From Lambda.");
    }

    @Test
    @DisplayName("a record with a bad signature is skipped; one that cannot be handled now fails the invocation")
    void failures() throws Exception {
      SesSnsLambdaHandler handler = new SesSnsLambdaHandler(origination, verifier) { };
      Map<String, String> fields = snsFields(SesNotifications.received(agentEmail("x"), SUPPORT_BOX,
          SesNotifications.passing(), false, world.clock.instant()));
      assertThat(handler.handleRequest(event(fields, signing.signature(Map.of("Type", "Notification"))), null))
          .isEqualTo("sent=0 refused=0 duplicate=0 skipped=1");
      world.flakyOriginators.failNextPuts.set(1);
      SNSEvent good = event(fields, signing.signature(fields));
      assertThatThrownBy(() -> handler.handleRequest(good, null)).isInstanceOf(EmailNotTakenException.class);
      assertThat(handler.handleRequest(good, null)).isEqualTo("sent=1 refused=0 duplicate=0 skipped=0");
    }

    @Test
    @DisplayName("without a verifier the invocation is trusted")
    void unverified() throws Exception {
      SesSnsLambdaHandler handler = new SesSnsLambdaHandler(origination, null) { };
      Map<String, String> fields = snsFields(SesNotifications.received(agentEmail("trusted"), SUPPORT_BOX,
          SesNotifications.passing(), false, world.clock.instant()));
      assertThat(handler.handleRequest(event(fields, "not-a-signature"), null)).startsWith("sent=1");
    }
  }
}
