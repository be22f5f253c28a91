package dev.smsgateway.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.eum.EumSmsProvider;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.twilio.TwilioSmsProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * A Twilio and an EUM provider from properties alone, their webhooks on the embedded Tomcat (real HTTP on a random
 * loopback port): a signed Twilio inbound webhook and an SNS notification signed by a test CA reach the
 * ConversationService; a forged signature and an oversized body are refused as the library refuses them.
 */
@SpringBootTest(classes = {TestApp.class, WebhookStarterTest.Sns.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "server.address=127.0.0.1",
    "sms.default-region=US",
    "sms.providers.tw.type=twilio",
    "sms.providers.tw.twilio.account-sid=" + WebhookStarterTest.ACCOUNT,
    "sms.providers.tw.twilio.auth-token=" + WebhookStarterTest.TOKEN,
    "sms.providers.tw.twilio.messaging-service-sid=MG0123456789abcdef0123456789abcdef",
    "sms.providers.tw.twilio.public-base-url=https://sms.example.com/hooks",
    "sms.providers.tw.webhook-path=/hooks",
    "sms.providers.aws.type=eum",
    "sms.providers.aws.eum.region=us-east-1",
    "sms.providers.aws.eum.endpoint=http://127.0.0.1:9",
    "sms.providers.aws.eum.origination-identity=+12065550100",
    "sms.providers.aws.sns.topic-arns=" + SnsTestSigner.TOPIC,
    "sms.routing.mappings[0].code=support",
    "sms.routing.mappings[0].provider=tw",
    "sms.routing.mappings[0].default-country=US",
    "sms.routing.mappings[0].chat-control.suppress-system-messages=true",
    "sms.routing.mappings[0].numbers[0].number=+14155550100",
    "sms.routing.mappings[0].numbers[0].display-name=ACME Support",
    "sms.routing.mappings[0].numbers[0].queue=support",
    "sms.routing.mappings[1].code=aws-line",
    "sms.routing.mappings[1].provider=aws",
    "sms.routing.mappings[1].default-country=US",
    "sms.routing.mappings[1].chat-control.suppress-system-messages=true",
    "sms.routing.mappings[1].numbers[0].number=+12065550100",
    "sms.routing.mappings[1].numbers[0].display-name=ACME AWS line",
    "sms.routing.mappings[1].numbers[0].queue=support"})
class WebhookStarterTest {

  static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
  static final String TOKEN = "webhook-token-9f2c";
  static final SnsTestSigner SNS = new SnsTestSigner();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The SNS handler trusts only the test root and fetches the test signing certificate. */
  @TestConfiguration
  static class Sns {
    @Bean
    SnsWebhookCustomizer testCa() {
      return (name, builder) -> builder.trustAnchors(Set.of(SNS.anchor())).certificateFetcher(url -> SNS.leafPem());
    }
  }

  @LocalServerPort int port;
  @Autowired ConversationService conversations;
  @Autowired ConversationRecorder recorder;
  @Autowired SmsGatewayProviders providers;

  @BeforeEach
  void agent() {
    conversations.registerAgent("alice", 10, Set.of("support"));
    conversations.setPresence("alice", Presence.AVAILABLE);
  }

  @Test
  void providersOfEachTypeComeFromProperties() {
    assertThat(providers.providers()).containsOnlyKeys("tw", "aws");
    assertThat(providers.provider("tw")).get().isInstanceOf(TwilioSmsProvider.class);
    assertThat(providers.provider("aws")).get().isInstanceOf(EumSmsProvider.class);
  }

  @Test
  void signedTwilioWebhookReachesTheConversationService() throws Exception {
    List<Map.Entry<String, String>> form = twilioInbound("SM" + "1".repeat(32), "is my order here?");
    String url = "https://sms.example.com/hooks/twilio/inbound/support";

    HttpResponse<String> response = post("/hooks/twilio/inbound/support", "application/x-www-form-urlencoded",
        encode(form), Map.of("X-Twilio-Signature", twilioSignature(url, form)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("<Response");
    ConversationRecorder.Message m = recorder.awaitMessage(x -> x.text().equals("is my order here?"),
        Duration.ofSeconds(10));
    assertThat(m.from()).isEqualTo("+14155550123");
    assertThat(m.handler()).isEqualTo("agent:alice");
  }

  @Test
  void forgedTwilioSignatureIsRefusedAndNothingIsRouted() throws Exception {
    List<Map.Entry<String, String>> form = twilioInbound("SM" + "2".repeat(32), "forged");
    // signed for another URL: the signature covers the public URL, not what the client claims
    String signature = twilioSignature("https://attacker.example.com/hooks/twilio/inbound/support", form);

    HttpResponse<String> response = post("/hooks/twilio/inbound/support", "application/x-www-form-urlencoded",
        encode(form), Map.of("X-Twilio-Signature", signature));

    assertThat(response.statusCode()).isEqualTo(403);
    // the signature is checked before the message is handed to the gateway, so nothing can follow the 403
    assertThat(recorder.messages).noneMatch(x -> x.text().equals("forged"));
  }

  @Test
  void oversizedTwilioBodyIsRefusedBeforeItIsRead() throws Exception {
    String body = "Body=" + "x".repeat(70 * 1024);
    HttpResponse<String> response = post("/hooks/twilio/inbound/support", "application/x-www-form-urlencoded", body,
        Map.of("X-Twilio-Signature", "irrelevant"));
    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void signedSnsNotificationReachesTheConversationService() throws Exception {
    String envelope = SNS.notification(SnsTestSigner.twoWay("+12065550123", "+12065550100", "call me back",
        "in-1"), Instant.now());

    HttpResponse<String> response = post("/sns/aws", "text/plain; charset=UTF-8", envelope,
        Map.of("x-amz-sns-message-type", "Notification"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    ConversationRecorder.Message m = recorder.awaitMessage(x -> x.text().equals("call me back"),
        Duration.ofSeconds(10));
    assertThat(m.from()).isEqualTo("+12065550123");
    assertThat(m.to()).isEqualTo("+12065550100");
  }

  @Test
  void tamperedSnsNotificationIsRefused() throws Exception {
    String envelope = SNS.notification(SnsTestSigner.twoWay("+12065550123", "+12065550100", "genuine", "in-2"),
        Instant.now()).replace("genuine", "tampered");

    HttpResponse<String> response = post("/sns/aws", "text/plain; charset=UTF-8", envelope,
        Map.of("x-amz-sns-message-type", "Notification"));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(recorder.messages).noneMatch(x -> x.text().contains("tampered"));
  }

  HttpResponse<String> post(String path, String contentType, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<Map.Entry<String, String>> twilioInbound(String sid, String body) {
    List<Map.Entry<String, String>> p = new ArrayList<>();
    p.add(Map.entry("SmsMessageSid", sid));
    p.add(Map.entry("NumMedia", "0"));
    p.add(Map.entry("SmsSid", sid));
    p.add(Map.entry("SmsStatus", "received"));
    p.add(Map.entry("Body", body));
    p.add(Map.entry("To", "+14155550100"));
    p.add(Map.entry("NumSegments", "1"));
    p.add(Map.entry("MessageSid", sid));
    p.add(Map.entry("AccountSid", ACCOUNT));
    p.add(Map.entry("From", "+14155550123"));
    p.add(Map.entry("ApiVersion", "2010-04-01"));
    return p;
  }

  static String encode(List<Map.Entry<String, String>> params) {
    return params.stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
  }

  /** Twilio's documented scheme: HMAC-SHA1 with the auth token over the URL and the sorted name+value pairs. */
  static String twilioSignature(String url, List<Map.Entry<String, String>> params) throws Exception {
    StringBuilder data = new StringBuilder(url);
    params.stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
        .forEach(e -> data.append(e.getKey()).append(e.getValue()));
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
