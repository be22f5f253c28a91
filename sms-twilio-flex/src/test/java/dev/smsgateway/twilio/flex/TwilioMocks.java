package dev.smsgateway.twilio.flex;

import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import dev.smsgateway.twilio.SingleAttemptHttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.core5.http.HttpHost;

/**
 * Prism serving Twilio's Flex, Conversations, TaskRouter and Proxy descriptions, one server each, started once for
 * the test JVM (about ten seconds) and stopped when it exits. {@link #client} gives a twilio-java client whose
 * requests for {@code flex-api.twilio.com}, {@code conversations.twilio.com}, {@code taskrouter.twilio.com} and
 * {@code proxy.twilio.com} go to those servers (an Apache route planner; twilio-java builds the same requests as for
 * Twilio), and records every exchange so that tests assert each one passed validation.
 */
final class TwilioMocks {

  static final String ACCOUNT = "AC" + "0123456789abcdef0123456789abcdef";
  static final String TOKEN = "flex-test-auth-token-7b2e";

  private static TwilioMocks shared;
  /** Array-valued form parameters of the requests the module sends. */
  private static final List<String> ARRAY_PARAMS = List.of("Filters", "AutoCreation.WebhookFilters");

  private final Map<String, PrismServer> byHost;

  private TwilioMocks(Map<String, PrismServer> byHost) {
    this.byHost = byHost;
  }

  /** The servers, started on first use. */
  static synchronized TwilioMocks get() throws Exception {
    if (shared == null) {
      PrismServer.command(); // skip (or fail under CI) before starting anything
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        Future<PrismServer> flex = pool.submit(() -> PrismServer.start("twilio_flex_v1.json"));
        Future<PrismServer> conversations = pool.submit(() -> PrismServer.start("twilio_conversations_v1.json"));
        Future<PrismServer> taskrouter = pool.submit(() -> PrismServer.start("twilio_taskrouter_v1.json"));
        Future<PrismServer> proxy = pool.submit(() -> PrismServer.start("twilio_proxy_v1.json"));
        Map<String, PrismServer> m = Map.of("flex-api.twilio.com", flex.get(),
            "conversations.twilio.com", conversations.get(), "taskrouter.twilio.com", taskrouter.get(),
            "proxy.twilio.com", proxy.get());
        shared = new TwilioMocks(m);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> m.values().forEach(PrismServer::close)));
      } finally {
        pool.shutdown();
      }
    }
    return shared;
  }

  /** One exchange with a mock: what twilio-java sent and what Prism answered. */
  record Exchange(String method, String url, Map<String, List<String>> query, Map<String, List<String>> form, int status,
      String body) {
    boolean passed() {
      return status >= 200 && status < 300;
    }

    String param(String name) {
      List<String> v = form.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    String query(String name) {
      List<String> v = query.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override
    public String toString() {
      return method + " " + url + " -> " + status + (passed() ? "" : " " + body);
    }
  }

  /** A twilio-java HTTP client sending to the mocks and keeping every exchange. */
  final class Recording extends HttpClient {
    private final NetworkHttpClient delegate;
    final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private volatile String failNext;

    /** The next request whose URL ends with {@code suffix} gets a 503 without reaching the mock (an outage). */
    void failNext(String suffix) {
      failNext = suffix;
    }

    Recording() {
      delegate = new NetworkHttpClient(SingleAttemptHttpClient.apacheBuilder(2000, 10_000, 4)
          .setRoutePlanner((host, context) -> {
            PrismServer s = byHost.get(host.getHostName());
            if (s == null) {
              throw new org.apache.hc.core5.http.HttpException("no mock for " + host.getHostName());
            }
            return new HttpRoute(new HttpHost("http", "127.0.0.1", s.port()));
          }));
    }

    @Override
    public Response makeRequest(Request request) {
      if (request.getUrl().endsWith("/MessageInteractions")) {
        // The Proxy description's own example answer breaks its schema (inbound_resource_status: null where a string
        // is required), so Prism --errors would answer 500 after the request passed: ask for a generated answer.
        request.addHeaderParam("Prefer", "dynamic=true");
      }
      String fail = failNext;
      if (fail != null && request.getUrl().endsWith(fail)) {
        failNext = null;
        String outage = "{\"code\":20503,\"message\":\"Service Unavailable\",\"status\":503}";
        exchanges.add(new Exchange(request.getMethod().toString(), request.getUrl(), Map.copyOf(request.getQueryParams()),
            Map.copyOf(request.getPostParams()), 503, outage));
        // with headers, as every HTTP answer has them (twilio-java logs them at DEBUG)
        return new Response(outage, 503, new org.apache.hc.core5.http.Header[] {
            new org.apache.hc.core5.http.message.BasicHeader("Content-Type", "application/json")});
      }
      Map<String, List<String>> form = Map.copyOf(request.getPostParams()); // recorded as twilio-java sent it
      for (String name : ARRAY_PARAMS) {
        // Twilio reads an array from repeated keys (Filters=a&Filters=b), as twilio-java sends it; Prism 5.14.2 only
        // from bracketed ones (https://github.com/stoplightio/prism/issues/2473): rename for Prism alone.
        List<String> values = request.getPostParams().remove(name);
        if (values != null) {
          request.getPostParams().put(name + "[]", values);
        }
      }
      Response r = delegate.makeRequest(request);
      String content = r.getContent(); // reads the stream: answer twilio-java with a copy
      exchanges.add(new Exchange(request.getMethod().toString(), request.getUrl(), Map.copyOf(request.getQueryParams()),
          form, r.getStatusCode(), content));
      return new Response(content, r.getStatusCode(), r.getHeaders());
    }

    List<Exchange> exchanges() {
      return new ArrayList<>(exchanges);
    }
  }

  Recording recording() {
    return new Recording();
  }

  /** A client on the one-attempt HTTP client of sms-twilio, as the module requires. */
  static TwilioRestClient client(Recording recording) {
    return new TwilioRestClient.Builder(ACCOUNT, TOKEN).httpClient(SingleAttemptHttpClient.wrap(recording)).build();
  }
}
