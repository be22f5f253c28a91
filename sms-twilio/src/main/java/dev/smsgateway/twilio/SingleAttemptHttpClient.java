package dev.smsgateway.twilio;

import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.util.Objects;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * A twilio-java {@link HttpClient} that sends every request exactly once.
 *
 * <p>twilio-java's {@code HttpClient.reliableRequest} re-sends any request that got a 5xx, POSTs included, up to three
 * times with 100 ms pauses: a message Twilio created before failing would be created again. Wrapping the client in
 * this class leaves retries to the gateway, which knows that a 5xx after the request was sent means "possibly
 * delivered". A {@link TwilioSmsProvider} built from an application's own {@code TwilioRestClient} requires that
 * client to use this class:
 *
 * <pre>{@code
 * TwilioRestClient client = new TwilioRestClient.Builder(accountSid, authToken)
 *     .httpClient(SingleAttemptHttpClient.wrap(new NetworkHttpClient()))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe if the wrapped client is (twilio-java's {@link NetworkHttpClient} is).
 */
public final class SingleAttemptHttpClient extends HttpClient {

  // Status and Retry-After of the last response on this thread, for when twilio-java's ApiException does not carry
  // them (a 5xx with an HTML body). Only these two small values are kept, never the body; the provider clears them.
  private static final ThreadLocal<LastResponse> LAST = new ThreadLocal<>();

  /** What the provider needs of the last response on a thread. */
  record LastResponse(int status, String retryAfter) {}

  private final HttpClient delegate;

  private SingleAttemptHttpClient(HttpClient delegate) {
    this.delegate = delegate;
  }

  /** Wraps {@code delegate} so that its requests are sent once; returns {@code delegate} if it already is wrapped. */
  public static SingleAttemptHttpClient wrap(HttpClient delegate) {
    Objects.requireNonNull(delegate, "delegate == null");
    return delegate instanceof SingleAttemptHttpClient s ? s : new SingleAttemptHttpClient(delegate);
  }

  /**
   * A wrapped twilio-java {@link NetworkHttpClient} on a pooled Apache HttpClient 5 with the given timeouts, and with
   * Apache's own retries off. Its connections do not log headers or bodies, not even with
   * {@code org.apache.hc.client5.http.wire} and {@code org.apache.hc.client5.http.headers} at DEBUG (Apache's do: the
   * Basic auth header and every number and text would reach the log).
   */
  public static SingleAttemptHttpClient create(int connectTimeoutMillis, int readTimeoutMillis, int maxConnections) {
    return wrap(new ClosableNetworkHttpClient(apacheBuilder(connectTimeoutMillis, readTimeoutMillis, maxConnections)));
  }

  /** Closes the wrapped client's connections when it can be closed (one made by {@link #create}); otherwise nothing. */
  void closeDelegate() {
    if (delegate instanceof ClosableNetworkHttpClient c) {
      c.close();
    }
  }

  /** twilio-java's client with a way to release its pooled connections. */
  static final class ClosableNetworkHttpClient extends NetworkHttpClient implements AutoCloseable {
    ClosableNetworkHttpClient(HttpClientBuilder builder) {
      super(builder);
    }

    @Override
    public void close() {
      try {
        client.close();
      } catch (java.io.IOException ignored) {
        // closing sockets; nothing left to do
      }
    }
  }

  /**
   * The Apache client builder behind {@link #create}, for an application that needs to add to it (a proxy, a route
   * planner) before handing it to twilio-java: {@code wrap(new NetworkHttpClient(apacheBuilder(...).setProxy(p)))}.
   * Its pooled connections do not log headers or bodies at DEBUG; Apache's own retry strategy is off (the gateway
   * decides, knowing a POST may have arrived); redirects are not followed.
   *
   * @param connectTimeoutMillis connect and pool-wait timeout
   * @param readTimeoutMillis socket read timeout
   * @param maxConnections pooled connections, in total and per route
   */
  public static HttpClientBuilder apacheBuilder(int connectTimeoutMillis, int readTimeoutMillis, int maxConnections) {
    // Connections that do not log headers (Basic auth) and bodies (numbers, text) at DEBUG; see QuietConnectionFactory.
    PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
        .setConnectionFactory(QuietConnectionFactory.INSTANCE)
        .setMaxConnTotal(maxConnections)
        .setMaxConnPerRoute(maxConnections)
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMillis))
            .setSocketTimeout(Timeout.ofMilliseconds(readTimeoutMillis))
            .setTimeToLive(TimeValue.ofSeconds(60))
            // Re-check a pooled connection idle for more than 1 s before using it: a POST on a connection the server
            // closed fails after being written, and could then not be retried safely.
            .setValidateAfterInactivity(TimeValue.ofSeconds(1))
            .build())
        .build();
    return HttpClientBuilder.create()
        .setConnectionManager(pool)
        .setDefaultRequestConfig(RequestConfig.custom()
            .setConnectionRequestTimeout(Timeout.ofMilliseconds(connectTimeoutMillis))
            .setResponseTimeout(Timeout.ofMilliseconds(readTimeoutMillis))
            .build())
        // Never retries: HttpClient 5's default strategy re-sends requests it deems idempotent and those whose
        // connection failed before the response; a POST that reached Twilio must not be created twice.
        .disableAutomaticRetries()
        .disableRedirectHandling();
  }

  /** Sends the request once, ignoring twilio-java's retry codes and counts. */
  @Override
  public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
    return makeRequest(request);
  }

  @Override
  public Response reliableRequest(Request request) {
    return makeRequest(request);
  }

  @Override
  public Response makeRequest(Request request) {
    LAST.remove();
    Response response = delegate.makeRequest(request);
    if (response != null) {
      String retryAfter = null;
      if (response.getHeaders() != null) {
        for (org.apache.hc.core5.http.Header h : response.getHeaders()) {
          if (h.getName().equalsIgnoreCase("Retry-After")) {
            retryAfter = h.getValue();
            break;
          }
        }
      }
      LAST.set(new LastResponse(response.getStatusCode(), retryAfter));
    }
    return response;
  }

  /** Status and Retry-After of the last request made on the calling thread, then forgets them; null if none. */
  static LastResponse takeLastResponse() {
    LastResponse r = LAST.get();
    LAST.remove();
    return r;
  }

  @Override
  public String toString() {
    return "SingleAttemptHttpClient{" + delegate.getClass().getSimpleName() + "}";
  }
}
