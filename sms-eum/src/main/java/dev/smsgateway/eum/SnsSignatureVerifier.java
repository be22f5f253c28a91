package dev.smsgateway.eum;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Verifies SNS message signatures, versions 1 (SHA1withRSA) and 2 (SHA256withRSA), with the JDK's {@link Signature}
 * and {@link CertPathValidator}.
 *
 * <p>Why not AWS's {@code sns-message-manager} 2.47.4: it lets a caller inject only an {@code SdkHttpClient} and a
 * region. Its certificate URL check is https plus an exact host per region (no user-info, port or path rules), the
 * certificate's validity is checked against the system clock, and it validates no chain to trust anchors of our
 * choosing. So a test could neither use a CA made at test time nor move a virtual clock, and one manager serves
 * one region. This class is small, does the same, and adds those seams.
 *
 * <p>Rules: the certificate URL is https on exactly {@code sns.<region>.amazonaws.com} (or {@code .amazonaws.com.cn}
 * for China regions) where the region is the topic's, with no user info, no port other than 443, no query or
 * fragment, and a {@code /SimpleNotificationService-<hex>.pem} path. A URL that fails is refused before any fetch.
 * Each URL is fetched at most once (concurrent requests share one fetch) and kept; a failed fetch is not kept, so
 * SNS's retry can try again. The certificate must be valid at the injected clock's time and name
 * {@code sns.amazonaws.com}; when trust anchors are given, the chain in the PEM must validate to them (PKIX, no
 * revocation checking). Without anchors, trust rests on the TLS-authenticated download from the AWS host, which is
 * what AWS's own validators do (the file holds the leaf only).
 *
 * <p>What is cached per fetched certificate: the parsed chain and public key, a {@link Signature} per thread and
 * version initialized with that key, whether the leaf names the signer, and a chain validation that passed (valid
 * again for any time at which every certificate of the chain is valid, since nothing else in it depends on the
 * time). The leaf's validity is checked against the clock on every message. An RSA
 * verification is skipped only for a message whose signed text, signature and version are exactly those of a message
 * already verified with the same certificate (SNS's redeliveries of one message, replays): the stored signed text is
 * compared in full, so a hit is the same verification done before, never a guess. Those are kept for at most
 * {@value #MAX_VERIFIED} messages per certificate.
 *
 * <p>Thread-safe.
 */
final class SnsSignatureVerifier {

  private static final Pattern HOST = Pattern.compile("sns\\.([a-z]{2}(?:-[a-z]+)+-[0-9]+)\\.amazonaws\\.com(\\.cn)?");
  private static final Pattern PATH = Pattern.compile("/SimpleNotificationService-[0-9A-Za-z]{1,64}\\.pem");
  private static final String SIGNER_NAME = "sns.amazonaws.com";
  static final int MAX_VERIFIED = 1024;

  private final SnsCertificateFetcher fetcher;
  private final Set<TrustAnchor> trustAnchors;
  private final Clock clock;
  private final int maxCachedCertificates;
  private final Map<URI, CompletableFuture<Signer>> certificates = new ConcurrentHashMap<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private final AtomicLong rsaVerifications = new AtomicLong();

  SnsSignatureVerifier(SnsCertificateFetcher fetcher, Set<TrustAnchor> trustAnchors, Clock clock,
      int maxCachedCertificates) {
    this.fetcher = fetcher;
    this.trustAnchors = trustAnchors == null || trustAnchors.isEmpty() ? null : Set.copyOf(trustAnchors);
    this.clock = clock;
    this.maxCachedCertificates = maxCachedCertificates;
  }

  /**
   * Verifies {@code envelope}'s signature.
   *
   * @throws SnsRejection 403 for a bad URL, certificate or signature; 503 when the certificate could not be fetched
   */
  void verify(SnsEnvelope envelope) throws SnsRejection {
    boolean sha256 = switch (envelope.signatureVersion()) {
      case "1" -> false;
      case "2" -> true;
      default -> throw new SnsRejection(403, "unsupported SignatureVersion");
    };
    URI url = checkCertificateUrl(envelope.signingCertUrl(), envelope.topicRegion());
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(envelope.signature());
    } catch (IllegalArgumentException e) {
      throw new SnsRejection(403, "Signature is not base64");
    }
    Signer signer = certificate(url);
    String signed = envelope.stringToSign();
    String key = envelope.signatureVersion() + ':' + envelope.signature();
    if (signed.equals(signer.verified.get(key))) {
      return; // this exact text, signature and version verified before with this certificate
    }
    boolean valid;
    try {
      Signature verifier = signer.verifier(sha256);
      verifier.update(signed.getBytes(StandardCharsets.UTF_8));
      rsaVerifications.incrementAndGet();
      valid = verifier.verify(signature); // leaves the verifier initialized for this key again
    } catch (GeneralSecurityException e) {
      signer.discardVerifier(sha256); // its state is unknown after a failure: the thread's next message makes another
      throw new SnsRejection(403, "signature does not verify: " + e.getClass().getSimpleName());
    } catch (RuntimeException e) {
      signer.discardVerifier(sha256);
      throw e;
    }
    if (!valid) {
      throw new SnsRejection(403, "signature does not match");
    }
    if (signer.verified.size() >= MAX_VERIFIED) {
      signer.verified.clear();
    }
    signer.verified.put(key, signed);
  }

  /** How many times the fetcher was called (for operators and tests). */
  int fetchCount() {
    return fetches.get();
  }

  /** How many RSA signature verifications were run (for tests). */
  long rsaVerificationCount() {
    return rsaVerifications.get();
  }

  /**
   * Checks a {@code SigningCertURL} against the rules in the class comment.
   *
   * @throws SnsRejection 403 naming the broken rule
   */
  static URI checkCertificateUrl(String raw, String topicRegion) throws SnsRejection {
    URI url;
    try {
      url = new URI(raw);
    } catch (URISyntaxException e) {
      throw new SnsRejection(403, "SigningCertURL is not a URL");
    }
    if (!"https".equals(url.getScheme())) {
      throw new SnsRejection(403, "SigningCertURL is not https");
    }
    if (url.getRawUserInfo() != null || url.getRawAuthority() == null || url.getRawAuthority().contains("@")) {
      throw new SnsRejection(403, "SigningCertURL has user info");
    }
    String host = url.getHost();
    var m = host == null ? null : HOST.matcher(host);
    if (m == null || !m.matches()) {
      throw new SnsRejection(403, "SigningCertURL host is not sns.<region>.amazonaws.com");
    }
    if (!m.group(1).equals(topicRegion)) {
      throw new SnsRejection(403, "SigningCertURL region differs from the topic's region");
    }
    if ((m.group(2) != null) != topicRegion.startsWith("cn-")) {
      throw new SnsRejection(403, "SigningCertURL domain does not match the region's partition");
    }
    if (url.getPort() != -1 && url.getPort() != 443) {
      throw new SnsRejection(403, "SigningCertURL has a port other than 443");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new SnsRejection(403, "SigningCertURL has a query or fragment");
    }
    if (url.getRawPath() == null || !PATH.matcher(url.getRawPath()).matches()) {
      throw new SnsRejection(403, "SigningCertURL path is not /SimpleNotificationService-<id>.pem");
    }
    return url;
  }

  private Signer certificate(URI url) throws SnsRejection {
    CompletableFuture<Signer> mine = new CompletableFuture<>();
    CompletableFuture<Signer> cached = certificates.putIfAbsent(url, mine);
    if (cached == null) {
      if (certificates.size() > maxCachedCertificates) {
        // SNS rotates signing certificates rarely; keep the map bounded anyway by dropping another entry.
        certificates.keySet().stream().filter(u -> !u.equals(url)).findAny().ifPresent(certificates::remove);
      }
      try {
        fetches.incrementAndGet();
        mine.complete(new Signer(parse(fetcher.fetch(url))));
      } catch (IOException | RuntimeException | SnsRejection e) {
        certificates.remove(url, mine);
        mine.completeExceptionally(e);
      }
      cached = mine;
    }
    Signer signer;
    try {
      signer = cached.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof SnsRejection r) {
        throw r;
      }
      throw new SnsRejection(503, "could not fetch the signing certificate: " + e.getCause().getClass().getSimpleName(),
          e.getCause());
    }
    validate(signer);
    return signer;
  }

  private static List<X509Certificate> parse(byte[] pem) throws SnsRejection {
    try {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : certs) {
        chain.add((X509Certificate) c);
      }
      if (chain.isEmpty()) {
        throw new SnsRejection(403, "SigningCertURL holds no certificate");
      }
      return List.copyOf(chain);
    } catch (CertificateException | ClassCastException e) {
      throw new SnsRejection(403, "SigningCertURL does not hold an X.509 certificate");
    }
  }

  private void validate(Signer signer) throws SnsRejection {
    long now = clock.millis();
    // X509Certificate.checkValidity's rule, on the times read once: valid from notBefore to notAfter, both included.
    if (now < signer.leafNotBefore || now > signer.leafNotAfter) {
      throw new SnsRejection(403, "signing certificate is expired or not yet valid");
    }
    if (!signer.namesSigner) {
      throw new SnsRejection(403, "signing certificate is not issued to " + SIGNER_NAME);
    }
    if (trustAnchors == null || (signer.chainValidated && now >= signer.chainNotBefore && now <= signer.chainNotAfter)) {
      return;
    }
    try {
      CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(signer.chain);
      PKIXParameters params = new PKIXParameters(trustAnchors);
      params.setRevocationEnabled(false);
      params.setDate(new Date(now));
      CertPathValidator.getInstance("PKIX").validate(path, params);
      signer.chainValidated = true;
    } catch (GeneralSecurityException e) {
      throw new SnsRejection(403, "signing certificate does not chain to a trusted anchor");
    }
  }

  /** A fetched certificate chain and what was read from it once. Thread-safe. */
  private static final class Signer {
    final List<X509Certificate> chain;
    final PublicKey publicKey;
    final long leafNotBefore;
    final long leafNotAfter;
    /** The times at which every certificate of the chain is valid: the only time-dependent part of PKIX here. */
    final long chainNotBefore;
    final long chainNotAfter;
    final boolean namesSigner;
    /** Set once the chain validated to the anchors; trusted again only between chainNotBefore and chainNotAfter. */
    volatile boolean chainValidated;
    /** "version:signature" to the exact text verified with it. */
    final Map<String, String> verified = new ConcurrentHashMap<>();
    /**
     * Per thread, a {@link Signature} initialized with {@link #publicKey}, for each version: getInstance looks the
     * algorithm up in the providers and initVerify sets the key up, once per thread instead of once per message.
     */
    private final ThreadLocal<Signature> sha1Verifier = new ThreadLocal<>();
    private final ThreadLocal<Signature> sha256Verifier = new ThreadLocal<>();

    /** This thread's verifier for SignatureVersion 2 (SHA256withRSA) or 1 (SHA1withRSA), ready for update. */
    Signature verifier(boolean sha256) throws GeneralSecurityException {
      ThreadLocal<Signature> mine = sha256 ? sha256Verifier : sha1Verifier;
      Signature verifier = mine.get();
      if (verifier == null) {
        verifier = Signature.getInstance(sha256 ? "SHA256withRSA" : "SHA1withRSA");
        verifier.initVerify(publicKey);
        mine.set(verifier);
      }
      return verifier;
    }

    void discardVerifier(boolean sha256) {
      (sha256 ? sha256Verifier : sha1Verifier).remove();
    }

    Signer(List<X509Certificate> chain) {
      this.chain = chain;
      X509Certificate leaf = chain.get(0);
      this.publicKey = leaf.getPublicKey();
      this.leafNotBefore = leaf.getNotBefore().getTime();
      this.leafNotAfter = leaf.getNotAfter().getTime();
      long from = Long.MIN_VALUE;
      long to = Long.MAX_VALUE;
      for (X509Certificate c : chain) {
        from = Math.max(from, c.getNotBefore().getTime());
        to = Math.min(to, c.getNotAfter().getTime());
      }
      this.chainNotBefore = from;
      this.chainNotAfter = to;
      this.namesSigner = SnsSignatureVerifier.namesSigner(leaf);
    }
  }

  private static boolean namesSigner(X509Certificate cert) {
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (Integer.valueOf(2).equals(san.get(0)) && SIGNER_NAME.equalsIgnoreCase(String.valueOf(san.get(1)))) {
            return true;
          }
        }
      }
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType()) && SIGNER_NAME.equalsIgnoreCase(String.valueOf(rdn.getValue()))) {
          return true;
        }
      }
      return false;
    } catch (CertificateException | InvalidNameException e) {
      return false;
    }
  }
}
