package dev.smsgateway.eum;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Downloads the PEM certificate an SNS message names in {@code SigningCertURL}. {@link SnsWebhookHandler} calls it
 * only for URLs that passed its checks (https, an exact {@code sns.<region>.amazonaws.com} host, no user info, no
 * other port, a {@code .pem} path), at most once per URL, and caches the result. Tests inject their own.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface SnsCertificateFetcher {

  /** The largest certificate file {@link #https(Duration)} reads; SNS signing certificates are about 2 KiB. */
  int MAX_CERTIFICATE_BYTES = 64 * 1024;

  /**
   * Returns the bytes at {@code url} (one or more PEM certificates, leaf first).
   *
   * @throws IOException if the download fails
   */
  byte[] fetch(URI url) throws IOException;

  /**
   * The default fetcher: the JDK's HTTP client with the JVM's TLS trust store, no redirects, {@code timeout} for
   * connecting and for the whole exchange, and at most {@link #MAX_CERTIFICATE_BYTES} read.
   */
  static SnsCertificateFetcher https(Duration timeout) {
    HttpClient client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    return url -> {
      HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
      HttpResponse<InputStream> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while fetching " + url, e);
      }
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new IOException("fetching " + url + " answered " + response.statusCode());
        }
        byte[] bytes = in.readNBytes(MAX_CERTIFICATE_BYTES + 1);
        if (bytes.length > MAX_CERTIFICATE_BYTES) {
          throw new IOException("certificate at " + url + " is larger than " + MAX_CERTIFICATE_BYTES + " bytes");
        }
        return bytes;
      }
    };
  }
}
