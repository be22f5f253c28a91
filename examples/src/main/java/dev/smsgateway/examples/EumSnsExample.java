package dev.smsgateway.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.eum.EumMode;
import dev.smsgateway.eum.EumSmsProvider;
import dev.smsgateway.aws.SendOnce;
import dev.smsgateway.eum.SnsWebhookHandler;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.OutboundConversation;
import dev.smsgateway.routing.RoutingConfiguration;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;
import software.amazon.awssdk.services.sns.SnsAsyncClient;

/**
 * Example {@code eum-sns}: an {@link EumSmsProvider} sending with AWS End User Messaging SMS ({@code SendTextMessage})
 * through the real aws-sdk-java-v2 client, and its {@link SnsWebhookHandler} on the JDK {@code HttpServer} receiving
 * what SNS posts: two-way SMS (the customer's replies) and the configuration set's delivery events. Wired to an
 * {@link SmsGateway} and the routing engine, so that the reply comes back to the agent who texted.
 *
 * <p>{@code --loopback}: also starts a stand-in for the AWS endpoint on 127.0.0.1 (the SDK is pointed at it with
 * {@code endpointOverride}) and plays SNS: it makes a signing certificate at start-up (a throw-away root CA and a
 * {@code sns.amazonaws.com} leaf, the root given to the handler as its trust anchor, the leaf served by an injected
 * certificate fetcher) and posts signed notifications. A tampered notification is refused with 403, a re-delivered one
 * is taken once.
 *
 * <p>Without {@code --loopback}: a real account through the SDK's default region and credential chain, with
 * {@code EUM_ORIGINATION_IDENTITY}, {@code SNS_TOPIC_ARNS}, optional {@code EUM_CONFIGURATION_SET} and {@code PORT}.
 * See {@code docs/examples.md}.
 *
 * <p>Not thread-safe (a program).
 */
final class EumSnsExample implements ProviderExampleCli.Modes {

  static final String BUSINESS = "+12065550100";
  static final String DANA = "+12065550123";
  static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:sms-gateway-events";
  static final String CERT_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-example.pem";
  private static final DateTimeFormatter SNS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock = Clock.systemUTC();
  private final Transcript transcript;

  private EumSnsExample(PrintStream out) {
    this.transcript = new Transcript(out, clock);
  }

  /** Runs the example; returns the process exit code. */
  static int run(String[] args, PrintStream out) {
    return ProviderExampleCli.run("eum-sns", args, out, EumSnsExample::new);
  }


  private InMemoryWiring wire(EumSmsProvider provider, String businessNumber) {
    return InMemoryWiring.of(provider, RoutingConfiguration.builder()
        .addMapping(Mapping.builder("support")
            .description("ACME support on AWS End User Messaging")
            .provider(provider.name())
            .defaultCountry("US")
            .addNumber(n -> n.number(businessNumber).displayName("ACME Support").queue("support")))
        .build(), clock, transcript);
  }

  // ------------------------------------------------------------------------------------------------ loopback

  @Override
  public int loopback() throws Exception {
    long started = System.nanoTime();
    transcript.title("sms-gateway example eum-sns (--loopback): SendTextMessage and SNS on 127.0.0.1");
    SnsSigner sns = SnsSigner.create(clock.instant());
    transcript.say("made an SNS signing certificate for this run: " + sns.leaf.getSubjectX500Principal().getName()
        + ", issued by " + sns.root.getSubjectX500Principal().getName());

    try (AwsStandIn aws = new AwsStandIn();
        PinpointSmsVoiceV2AsyncClient client = PinpointSmsVoiceV2AsyncClient.builder()
            .endpointOverride(aws.server.base())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDEXAMPLELOOPBACK", "loopback-only-secret")))
            .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
            .overrideConfiguration(o -> o.retryStrategy(SendOnce.strategy()))
            .build();
        Loopback.Server web = new Loopback.Server("sns-webhooks")) {
      EumSmsProvider provider = EumSmsProvider.builder()
          .name("aws")
          .mode(EumMode.EUM_SNS)
          .smsVoiceClient(client)
          .originationIdentity(BUSINESS)
          .configurationSetName("sms-gateway-events")
          .clock(clock)
          .build();
      InMemoryWiring w = wire(provider, BUSINESS);
      SnsWebhookHandler handler = SnsWebhookHandler.builder(provider)
          .allowTopicArns(List.of(TOPIC))
          .certificateFetcher(url -> {
            if (!url.toString().equals(CERT_URL)) {
              throw new IOException("no certificate at " + url);
            }
            return SnsSigner.pem(sns.leaf).getBytes(StandardCharsets.US_ASCII);
          })
          .trustAnchors(Set.of(new TrustAnchor(sns.root, null)))
          .messageStore(w.messages())
          .clock(clock)
          .build();
      web.handle("/sns", handler.httpHandler()).start();
      URI endpoint = URI.create(web.base() + "/sns");
      transcript.say("AWS stand-in on " + aws.server.base() + " (the SDK's endpointOverride); SNS endpoint " + endpoint);

      try (SmsGateway gateway = w.gateway()) {
        gateway.start();
        ConversationService conversations = w.conversations();

        transcript.step("1. Agent alice texts Dana; the SDK calls SendTextMessage");
        OutboundConversation conversation = conversations.startOutbound("alice", BUSINESS, DANA,
            "Hi Dana, this is Alice from ACME. Your replacement router ships today. Any questions?", "eum-example-1")
            .get(10, TimeUnit.SECONDS);
        JsonNode send = aws.sends.poll(Transcript.STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!transcript.check("SendTextMessage reached the AWS stand-in", send != null,
            send != null ? "POST / X-Amz-Target: PinpointSMSVoiceV2.SendTextMessage" : "nothing within 10 s")) {
          return transcript.finish(started);
        }
        transcript.say("AWS SendTextMessage DestinationPhoneNumber=" + PhoneNumbers.mask(send.path("DestinationPhoneNumber")
            .asText()) + " OriginationIdentity=" + PhoneNumbers.mask(send.path("OriginationIdentity").asText())
            + " ConfigurationSetName=" + send.path("ConfigurationSetName").asText() + " Context=" + send.path("Context"));
        transcript.check("request carries destination, body and our id in Context",
            DANA.equals(send.path("DestinationPhoneNumber").asText())
                && send.path("MessageBody").asText().startsWith("Hi Dana")
                && send.path("Context").toString().contains(conversation.messageId()), "as sent");

        transcript.step("2. The configuration set's event destination reports TEXT_DELIVERED through SNS");
        String event = textEvent("TEXT_DELIVERED", send.path("_MessageId").asText(), send.path("Context"));
        int code = post(endpoint, sns.notification(event));
        transcript.say("SNS POST /sns TEXT_DELIVERED -> HTTP " + code);
        boolean delivered = transcript.await(e -> e.kind() == Transcript.Kind.DLR
            && e.conversationId().equals(conversation.messageId()) && e.detail().equals("DELIVERED")).isPresent();
        transcript.check("delivery event -> DELIVERED", delivered, delivered ? "DELIVERED" : "no report");

        transcript.step("3. Dana replies; the two-way SMS arrives as a signed SNS notification");
        Map<String, String> reply = sns.notification(twoWay(DANA, "Thanks Alice! Does it need a new password?"));
        code = post(endpoint, reply);
        transcript.say("SNS POST /sns two-way SMS from " + PhoneNumbers.mask(DANA) + " -> HTTP " + code);
        var routed = transcript.await(e -> e.kind() == Transcript.Kind.MESSAGE && e.customer().equals(DANA));
        transcript.check("Dana's reply -> alice", routed.isPresent() && "alice".equals(routed.get().agent()),
            routed.map(e -> "went to " + e.agent()).orElse("not routed"));

        transcript.step("4. SNS delivers the same notification again: taken once");
        code = post(endpoint, reply);
        long copies = transcript.events().stream().filter(e -> e.kind() == Transcript.Kind.MESSAGE
            && e.customer().equals(DANA)).count();
        transcript.say("SNS POST /sns (same MessageId) -> HTTP " + code + "; Dana's messages routed: " + copies);
        transcript.check("re-delivery answered 200 and not routed twice", code == 200 && copies == 1,
            "HTTP " + code + ", " + copies + " routed");

        transcript.step("5. A notification changed after SNS signed it is refused");
        Map<String, String> tampered = sns.notification(twoWay(DANA, "Please call me at this other number"));
        tampered.put("Message", twoWay(DANA, "Please wire the refund to this other account"));
        code = post(endpoint, tampered);
        transcript.say("TAMPERED POST /sns -> HTTP " + code);
        transcript.check("tampered notification -> 403", code == 403, "HTTP " + code);
        transcript.say("AWS stand-in received " + aws.requests + " request(s); SNS certificate fetched "
            + handler.certificateFetchCount() + " time(s)");
      }
      return transcript.finish(started);
    }
  }

  private static int post(URI endpoint, Map<String, String> envelope) throws IOException, InterruptedException {
    ObjectNode node = JSON.createObjectNode();
    envelope.forEach(node::put);
    return Loopback.post(endpoint, "text/plain; charset=UTF-8", node.toString(), Map.of(
        "x-amz-sns-message-type", envelope.get("Type"),
        "x-amz-sns-message-id", envelope.get("MessageId"),
        "x-amz-sns-topic-arn", envelope.get("TopicArn"))).statusCode();
  }

  private static String twoWay(String from, String body) {
    ObjectNode n = JSON.createObjectNode();
    n.put("originationNumber", from);
    n.put("destinationNumber", BUSINESS);
    n.put("messageKeyword", "KEYWORD_123456789012");
    n.put("messageBody", body);
    n.put("inboundMessageId", UUID.randomUUID().toString());
    return n.toString();
  }

  private String textEvent(String eventType, String awsMessageId, JsonNode context) {
    long now = clock.millis();
    ObjectNode n = JSON.createObjectNode();
    n.put("eventType", eventType);
    n.put("eventVersion", "1.0");
    n.put("eventTimestamp", now);
    n.put("isFinal", true);
    n.put("originationPhoneNumber", BUSINESS);
    n.put("destinationPhoneNumber", DANA);
    n.put("isoCountryCode", "US");
    n.put("messageId", awsMessageId);
    n.put("messageRequestTimestamp", now - 900);
    n.put("messageEncoding", "GSM");
    n.put("messageType", "TRANSACTIONAL");
    n.put("messageStatus", eventType.substring("TEXT_".length()));
    n.put("messageStatusDescription", "Message has been accepted by phone");
    n.set("context", context);
    n.put("totalMessageParts", 1);
    return n.toString();
  }

  /** Stands in for the AWS End User Messaging SMS endpoint: answers {@code SendTextMessage} as AWS does. */
  private static final class AwsStandIn implements AutoCloseable {
    final Loopback.Server server;
    final BlockingQueue<JsonNode> sends = new LinkedBlockingQueue<>();
    final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

    AwsStandIn() throws IOException {
      server = new Loopback.Server("aws-stand-in").handle("/", this::api).start();
    }

    private void api(HttpExchange exchange) throws IOException {
      requests.incrementAndGet();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (!"POST".equals(exchange.getRequestMethod()) || !"PinpointSMSVoiceV2.SendTextMessage".equals(target)) {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", "UnknownOperationException");
        Loopback.respond(exchange, 400, "application/x-amz-json-1.0", "{\"__type\":\"UnknownOperationException\"}");
        return;
      }
      ObjectNode request = (ObjectNode) JSON.readTree(exchange.getRequestBody());
      String messageId = UUID.randomUUID().toString();
      request.put("_MessageId", messageId);
      exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
      Loopback.respond(exchange, 200, "application/x-amz-json-1.0", "{\"MessageId\":\"" + messageId + "\"}");
      sends.add(request);
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /** Plays SNS: a signing certificate made for this run and notifications signed with it (SignatureVersion 2). */
  private record SnsSigner(X509Certificate root, X509Certificate leaf, PrivateKey leafKey) {

    static SnsSigner create(Instant now) throws Exception {
      KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048);
      KeyPair rootKeys = rsa.generateKeyPair();
      KeyPair leafKeys = rsa.generateKeyPair();
      Date from = Date.from(now.minus(Duration.ofHours(1)));
      Date until = Date.from(now.plus(Duration.ofDays(1)));
      X500Name rootName = new X500Name("CN=sms-gateway example SNS root, O=sms-gateway examples");
      JcaX509v3CertificateBuilder root = new JcaX509v3CertificateBuilder(rootName, BigInteger.ONE, from, until,
          rootName, rootKeys.getPublic());
      root.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      root.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
      JcaX509v3CertificateBuilder leaf = new JcaX509v3CertificateBuilder(rootName, BigInteger.TWO, from, until,
          new X500Name("CN=sns.amazonaws.com, O=sms-gateway examples"), leafKeys.getPublic());
      leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      leaf.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      X509Certificate rootCert = converter.getCertificate(root.build(
          new JcaContentSignerBuilder("SHA256withRSA").build(rootKeys.getPrivate())));
      X509Certificate leafCert = converter.getCertificate(leaf.build(
          new JcaContentSignerBuilder("SHA256withRSA").build(rootKeys.getPrivate())));
      return new SnsSigner(rootCert, leafCert, leafKeys.getPrivate());
    }

    static String pem(X509Certificate certificate) {
      try {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** A signed Notification envelope around {@code message}, fields in SNS's order. */
    Map<String, String> notification(String message) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("Type", "Notification");
      m.put("MessageId", UUID.randomUUID().toString());
      m.put("TopicArn", TOPIC);
      m.put("Message", message);
      m.put("Timestamp", SNS_TIME.format(Instant.now()));
      m.put("SignatureVersion", "2");
      m.put("SigningCertURL", CERT_URL);
      m.put("UnsubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + TOPIC
          + ":example");
      // The string to sign: each present field of the Notification list, in this order, as "name\nvalue\n".
      StringBuilder toSign = new StringBuilder();
      for (String k : Arrays.asList("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")) {
        if (m.containsKey(k)) {
          toSign.append(k).append('\n').append(m.get(k)).append('\n');
        }
      }
      try {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(leafKey);
        s.update(toSign.toString().getBytes(StandardCharsets.UTF_8));
        m.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return m;
    }
  }

  // ------------------------------------------------------------------------------------------------ real account

  @Override
  public int realAccount(Function<String, String> env, String to) throws Exception {
    String origination = TwilioWebhookExample.required(env, "EUM_ORIGINATION_IDENTITY");
    List<String> topics = List.of(TwilioWebhookExample.required(env, "SNS_TOPIC_ARNS").split("\\s*,\\s*"));
    int port = Integer.parseInt(env.apply("PORT") == null ? "8080" : env.apply("PORT"));
    CountDownLatch stop = new CountDownLatch(1);
    try (PinpointSmsVoiceV2AsyncClient client = PinpointSmsVoiceV2AsyncClient.builder()
            .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
            .overrideConfiguration(o -> o.retryStrategy(SendOnce.strategy()))
            .build();
        SnsAsyncClient snsClient = SnsAsyncClient.builder().httpClientBuilder(AwsCrtAsyncHttpClient.builder())
            .build()) {
      EumSmsProvider.Builder b = EumSmsProvider.builder().name("aws").mode(EumMode.EUM_SNS).smsVoiceClient(client)
          .originationIdentity(origination);
      if (env.apply("EUM_CONFIGURATION_SET") != null) {
        b.configurationSetName(env.apply("EUM_CONFIGURATION_SET"));
      }
      EumSmsProvider provider = b.build();
      InMemoryWiring w = wire(provider, origination);
      SnsWebhookHandler handler = SnsWebhookHandler.builder(provider).allowTopicArns(topics).snsClient(snsClient)
          .messageStore(w.messages()).build();
      try (Loopback.Server web = new Loopback.Server(new InetSocketAddress(port), "sns-webhooks");
          SmsGateway gateway = w.gateway()) {
        web.handle("/sns", handler.httpHandler()).start();
        gateway.start();
        transcript.say("SNS endpoint on port " + port + " at /sns; subscribe its public https URL to " + topics
            + " (the subscription is confirmed automatically)");
        if (to != null) {
          OutboundConversation c = w.conversations().startOutbound("alice", origination, to,
              "Hello from sms-gateway's eum-sns example. Reply to reach agent alice.", null).get(30, TimeUnit.SECONDS);
          transcript.say("alice started conversation " + c.conversationId() + " with " + PhoneNumbers.mask(to));
        }
        transcript.say("waiting for SNS; Ctrl-C stops");
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
      }
    }
    return 0;
  }
}
