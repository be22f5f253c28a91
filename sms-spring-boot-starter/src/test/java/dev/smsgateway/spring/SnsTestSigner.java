package dev.smsgateway.spring;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Plays SNS for the tests, as the sms-eum tests do: a root CA made at test time, a signing certificate it issues to
 * {@code sns.amazonaws.com}, and envelopes signed the way SNS signs them (SignatureVersion 2, SHA256withRSA over the
 * documented fields). The SNS handler is given the root as its only trust anchor and a fetcher that serves the leaf.
 */
final class SnsTestSigner {

  static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:sms-inbound";
  static final String CERT_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem";
  private static final DateTimeFormatter SNS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  final X509Certificate root;
  final X509Certificate leaf;
  private final PrivateKey leafKey;

  SnsTestSigner() {
    try {
      Instant now = Instant.now();
      KeyPair rootKeys = rsa();
      X500Name rootName = new X500Name("CN=sms-gateway test root, O=sms-gateway tests");
      var rb = new JcaX509v3CertificateBuilder(rootName, BigInteger.valueOf(1), Date.from(now.minus(Duration.ofDays(1))),
          Date.from(now.plus(Duration.ofDays(1))), rootName, rootKeys.getPublic());
      rb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      rb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      root = sign(rb, rootKeys.getPrivate());
      KeyPair leafKeys = rsa();
      var lb = new JcaX509v3CertificateBuilder(root, BigInteger.valueOf(2), Date.from(now.minus(Duration.ofDays(1))),
          Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=sns.amazonaws.com, O=Amazon.com Inc."),
          leafKeys.getPublic());
      lb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      lb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      lb.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, "sns.amazonaws.com")));
      leaf = sign(lb, rootKeys.getPrivate());
      leafKey = leafKeys.getPrivate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  TrustAnchor anchor() {
    return new TrustAnchor(root, null);
  }

  byte[] leafPem() {
    try {
      return ("-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(leaf.getEncoded())
          + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A signed SNS Notification envelope carrying {@code message}, as the JSON body SNS posts. */
  String notification(String message, Instant at) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Type", "Notification");
    m.put("MessageId", UUID.randomUUID().toString());
    m.put("TopicArn", TOPIC);
    m.put("Message", message);
    m.put("Timestamp", SNS_TIME.format(at));
    m.put("SignatureVersion", "2");
    m.put("SigningCertURL", CERT_URL);
    m.put("UnsubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + TOPIC + ":x");
    StringBuilder toSign = new StringBuilder();
    for (String k : new String[] {"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}) {
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
    var node = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    m.forEach(node::put);
    return node.toString();
  }

  /** The two-way SMS message End User Messaging publishes for a customer's text. */
  static String twoWay(String from, String to, String body, String inboundId) {
    var n = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    n.put("originationNumber", from);
    n.put("destinationNumber", to);
    n.put("messageKeyword", "KEYWORD_123456789012");
    n.put("messageBody", body);
    n.put("inboundMessageId", inboundId);
    return n.toString();
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
