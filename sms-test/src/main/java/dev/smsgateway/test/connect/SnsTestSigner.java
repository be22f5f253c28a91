package dev.smsgateway.test.connect;

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
import java.util.concurrent.atomic.AtomicLong;
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
 * Signs SNS HTTP envelopes the way Amazon SNS does (SignatureVersion 2, SHA256withRSA over the documented string to
 * sign), with a certificate authority made at construction time: a root, and a leaf issued to
 * {@code sns.amazonaws.com}. A receiver under test trusts {@link #trustAnchor()} and fetches {@link #certificatePem()}
 * for {@link #certificateUrl()} (an {@code https://sns.<region>.amazonaws.com/...} URL, as SNS sends), so the
 * receiver's real verification code runs unchanged.
 *
 * <p>Thread-safe.
 */
public final class SnsTestSigner {

  /** SNS writes milliseconds, including ".000Z". */
  static final DateTimeFormatter SNS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() & 0xffffff);

  private final X509Certificate root;
  private final KeyPair leafKeys;
  private final X509Certificate leaf;
  private final String region;

  /** RSA key generation takes a second or more on a busy machine: the key pairs are made once per JVM. */
  private static final class Keys {
    static final KeyPair ROOT = rsaUnchecked();
    static final KeyPair LEAF = rsaUnchecked();
  }

  /** A new CA and signing certificate valid from {@code now} minus a day to {@code now} plus a year. */
  public SnsTestSigner(String region, Instant now) {
    this.region = region;
    try {
      KeyPair rootKeys = Keys.ROOT;
      X500Name rootName = new X500Name("CN=sms-gateway SNS test CA, O=sms-gateway tests");
      Date from = Date.from(now.minus(Duration.ofDays(1)));
      Date to = Date.from(now.plus(Duration.ofDays(365)));
      var rb = new JcaX509v3CertificateBuilder(rootName, BigInteger.valueOf(SERIAL.incrementAndGet()), from, to,
          rootName, rootKeys.getPublic());
      rb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      rb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      this.root = sign(rb, rootKeys.getPrivate());
      this.leafKeys = Keys.LEAF;
      var lb = new JcaX509v3CertificateBuilder(root, BigInteger.valueOf(SERIAL.incrementAndGet()), from, to,
          new X500Name("CN=sns.amazonaws.com, O=Amazon.com Inc."), leafKeys.getPublic());
      lb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      lb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      lb.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, "sns.amazonaws.com")));
      this.leaf = sign(lb, rootKeys.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException("cannot make the SNS test certificates", e);
    }
  }

  /** The root to trust. */
  public TrustAnchor trustAnchor() {
    return new TrustAnchor(root, null);
  }

  /** The signing certificate as PEM (what SNS serves at the SigningCertURL). */
  public byte[] certificatePem() {
    try {
      return ("-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(leaf.getEncoded())
          + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The SigningCertURL the envelopes name. */
  public String certificateUrl() {
    return "https://sns." + region + ".amazonaws.com/SimpleNotificationService-standin0123456789.pem";
  }

  /** The region of the topics. */
  public String region() {
    return region;
  }

  /**
   * A signed Notification envelope, as JSON fields in SNS's order (Type, MessageId, TopicArn, Message, Timestamp,
   * SignatureVersion, Signature, SigningCertURL, UnsubscribeURL).
   */
  public Map<String, String> notification(String topicArn, String messageId, String message, Instant at) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Type", "Notification");
    m.put("MessageId", messageId);
    m.put("TopicArn", topicArn);
    m.put("Message", message);
    m.put("Timestamp", SNS_TIME.format(at));
    m.put("SignatureVersion", "2");
    m.put("Signature", signature(m));
    m.put("SigningCertURL", certificateUrl());
    m.put("UnsubscribeURL", "https://sns." + region + ".amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
        + topicArn + ":standin");
    return m;
  }

  private String signature(Map<String, String> m) {
    StringBuilder toSign = new StringBuilder();
    for (String k : new String[] {"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"}) {
      if (m.containsKey(k)) {
        toSign.append(k).append('\n').append(m.get(k)).append('\n');
      }
    }
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(leafKeys.getPrivate());
      s.update(toSign.toString().getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
  }

  private static KeyPair rsaUnchecked() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
