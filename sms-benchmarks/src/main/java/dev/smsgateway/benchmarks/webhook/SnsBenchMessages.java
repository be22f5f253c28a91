package dev.smsgateway.benchmarks.webhook;

import dev.smsgateway.ProviderListener;
import dev.smsgateway.aws.SendOnce;
import dev.smsgateway.eum.EumSmsProvider;
import dev.smsgateway.eum.SnsWebhookHandler;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;

/**
 * SNS notifications for the webhook benchmark, signed the way SNS signs them (SignatureVersion 2, SHA256withRSA, an
 * RSA-2048 leaf issued to {@code sns.amazonaws.com} by a root made at run time, as SNS's own certificates are
 * RSA-2048). Each carries a two-way SMS event with its own MessageId, so that every request costs the handler a
 * verification and a routing decision; they are signed before the measured rounds (signing costs the client about a
 * millisecond each).
 *
 * <p>Thread-safe after construction.
 */
final class SnsBenchMessages {

  /**
   * The EUM provider whose SNS handler the benchmarks call: it only feeds the handler's messages to {@code listener};
   * its client (pointed at a closed local port) is never called. Started; the caller closes it.
   */
  static EumSmsProvider provider(ProviderListener listener) {
    EumSmsProvider eum = EumSmsProvider.builder().name("aws").smsVoiceClient(PinpointSmsVoiceV2AsyncClient.builder()
        .region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:9"))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench")))
        .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(SendOnce.strategy())).build()).build();
    eum.start(listener);
    return eum;
  }

  /** {@code eum}'s SNS handler, trusting only these messages' topic and test root. */
  SnsWebhookHandler handler(EumSmsProvider eum) {
    return SnsWebhookHandler.builder(eum).allowTopicArns(List.of(TOPIC)).certificateFetcher(this::fetch)
        .trustAnchors(Set.of(anchor)).build();
  }

  static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:sms-inbound";
  static final String CERT_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem";
  private static final DateTimeFormatter SNS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
      Locale.ROOT).withZone(ZoneOffset.UTC);

  final TrustAnchor anchor;
  final byte[] certificatePem;
  /** The leaf's public key, for measuring an RSA verification alone. */
  final java.security.PublicKey verifyingKey;
  private final PrivateKey signingKey;

  SnsBenchMessages() throws Exception {
    Instant now = Instant.now();
    KeyPair rootKeys = rsa();
    X500Name rootName = new X500Name("CN=webhook benchmark root");
    var root = new JcaX509v3CertificateBuilder(rootName, BigInteger.ONE, Date.from(now.minusSeconds(86_400)),
        Date.from(now.plusSeconds(30 * 86_400L)), rootName, rootKeys.getPublic());
    root.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    root.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
    X509Certificate rootCert = sign(root, rootKeys.getPrivate());
    KeyPair leafKeys = rsa();
    var leaf = new JcaX509v3CertificateBuilder(rootCert, BigInteger.TWO, Date.from(now.minusSeconds(86_400)),
        Date.from(now.plusSeconds(30 * 86_400L)), new X500Name("CN=sns.amazonaws.com"), leafKeys.getPublic());
    leaf.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    leaf.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, "sns.amazonaws.com")));
    X509Certificate leafCert = sign(leaf, rootKeys.getPrivate());
    this.anchor = new TrustAnchor(rootCert, null);
    this.certificatePem = ("-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(leafCert.getEncoded())
        + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
    this.signingKey = leafKeys.getPrivate();
    this.verifyingKey = leafKeys.getPublic();
  }

  /** The bytes the handler's certificate fetcher answers for {@link #CERT_URL}. */
  byte[] fetch(URI url) {
    if (!url.toString().equals(CERT_URL)) {
      throw new IllegalArgumentException("unexpected certificate URL " + url);
    }
    return certificatePem.clone();
  }

  /** {@code count} signed notification bodies from {@code from} to {@code to}, each its own MessageId. */
  List<byte[]> sign(int count, String from, String to) {
    String timestamp = SNS_TIME.format(Instant.now());
    ConcurrentHashMap<Integer, byte[]> bodies = new ConcurrentHashMap<>();
    IntStream.range(0, count).parallel().forEach(i -> bodies.put(i, body(i, from, to, timestamp)));
    return IntStream.range(0, count).mapToObj(bodies::get).toList();
  }

  /** The text a notification's signature covers and that signature, for measuring an RSA verification alone. */
  byte[][] signedText(int i) {
    String text = "Message\n{\"messageBody\":\"On my way\",\"inboundMessageId\":\"in-" + i + "\"}\nMessageId\n" + i
        + "\nTimestamp\n2026-12-06T12:00:00.000Z\nTopicArn\n" + TOPIC + "\nType\nNotification\n";
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(signingKey);
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      s.update(bytes);
      return new byte[][] {bytes, s.sign()};
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] body(int i, String from, String to, String timestamp) {
    String messageId = String.format(Locale.ROOT, "b7c1e2d4-0000-4000-8000-%012d", i);
    String message = "{\"originationNumber\":\"" + from + "\",\"destinationNumber\":\"" + to + "\",\"messageKeyword\":"
        + "\"KEYWORD_123456789012\",\"messageBody\":\"On my way\",\"inboundMessageId\":\"in-" + i + "\","
        + "\"previousPublishedMessageId\":\"prev-" + i + "\"}";
    String stringToSign = "Message\n" + message + "\nMessageId\n" + messageId + "\nTimestamp\n" + timestamp
        + "\nTopicArn\n" + TOPIC + "\nType\nNotification\n";
    String signature;
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(signingKey);
      s.update(stringToSign.getBytes(StandardCharsets.UTF_8));
      signature = Base64.getEncoder().encodeToString(s.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    String json = "{\"Type\":\"Notification\",\"MessageId\":\"" + messageId + "\",\"TopicArn\":\"" + TOPIC + "\","
        + "\"Message\":\"" + message.replace("\"", "\\\"") + "\",\"Timestamp\":\"" + timestamp + "\","
        + "\"SignatureVersion\":\"2\",\"Signature\":\"" + signature + "\",\"SigningCertURL\":\"" + CERT_URL + "\","
        + "\"UnsubscribeURL\":\"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + TOPIC
        + ":0f1e2d3c\"}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }
}
