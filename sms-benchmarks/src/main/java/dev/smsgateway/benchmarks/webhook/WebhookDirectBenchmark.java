package dev.smsgateway.benchmarks.webhook;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.benchmarks.Median;
import dev.smsgateway.eum.EumSmsProvider;
import dev.smsgateway.eum.SnsWebhookHandler;
import dev.smsgateway.routing.RoutingEngine;
import dev.smsgateway.twilio.TwilioWebhookHandler;
import dev.smsgateway.twilio.TwilioWebhookSignature;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * What the webhook handlers themselves cost, without an HTTP server: the CPU time of the calling thread per request
 * handed to {@link TwilioWebhookHandler#handle} and {@link SnsWebhookHandler#handle} directly, with the routing
 * decision (the same {@link RoutingEngine} set-up and traffic as {@link TwilioWebhookBenchmark}: every message from a
 * customer not seen before, so every decision opens a conversation) and without it (a listener that only counts), the
 * routing decision alone for the same kind of messages, and one RSA-2048 SHA256withRSA verification alone with a
 * kept {@link java.security.Signature} (what every new SNS message must cost), and the Twilio side's floor
 * ({@code twilio-floor}: {@link TwilioFloorHandler}'s signature + parse + route lookup, the least a Twilio webhook
 * can do). Requests are built and signed before the measured rounds; each
 * has its own MessageSid or MessageId, so none is skipped as a duplicate. {@link TwilioWebhookBenchmark} puts these
 * figures beside the JDK {@code HttpServer}'s own cost per request (the empty handler).
 *
 * <p>Run: {@code java -cp ... dev.smsgateway.benchmarks.webhook.WebhookDirectBenchmark [--requests N] [--rounds N]
 * [--sns-requests N]} (defaults 4,000, 5 and the smaller of 1,000 and {@code --requests}). Prints, per round and as
 * medians, microseconds of CPU per request, and the median bytes allocated per request by the calling thread
 * ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}; the requests are built beforehand, so this
 * is the handler's own allocation, routing decision included where named). {@code --pollute KB} writes a byte per
 * cache line of a KB-sized array before each Twilio call and measures the calls alone (the thread's CPU clock read
 * around each, its own cost subtracted): the handler's cost with its data no longer in the caches, as inside a server.
 *
 * <p>Not thread-safe; a program.
 */
public final class WebhookDirectBenchmark {

  private static final String TOKEN = "bench-auth-token-0123456789abcdef";
  private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
  private static final Originator BUSINESS = TwilioWebhookBenchmark.BUSINESS;
  private static final Originator SNS_BUSINESS = TwilioWebhookBenchmark.SNS_BUSINESS;
  private static final String URL = "http://127.0.0.1:8080/twilio/inbound/bench";

  private static IntConsumer rsaCalls;
  private static IntConsumer floorCalls;
  private static long handlerOnlyNs;
  private static long clockReadNs = -1;
  private static int sink;

  /**
   * Writes one byte per cache line of {@code pollution}: the data caches hold other data when the next request
   * starts, as they do inside a server whose own work runs between the handler's.
   */
  /**
   * {@code n} calls of {@code call} on the next requests of {@code forms}, each expected to answer 200; with
   * {@code pollution}, the caches are walked before each call and only the call's own CPU time is added to
   * {@link #handlerOnlyNs}.
   */
  private static IntConsumer timedCalls(List<TwilioRequest> forms, int[] next, byte[] pollution,
      ThreadMXBean threadClock, java.util.function.ToIntFunction<TwilioRequest> call, String refusal) {
    return n -> {
      for (int i = 0; i < n; i++) {
        TwilioRequest r = forms.get(next[0]++);
        long t0 = 0;
        if (pollution.length > 0) {
          pollute(pollution);
          t0 = threadClock.getCurrentThreadCpuTime();
        }
        if (call.applyAsInt(r) != 200) {
          throw new IllegalStateException(refusal);
        }
        if (pollution.length > 0) {
          handlerOnlyNs += threadClock.getCurrentThreadCpuTime() - t0;
        }
      }
    };
  }

  private static void pollute(byte[] pollution) {
    for (int i = 0; i < pollution.length; i += 64) {
      pollution[i]++;
    }
    sink += pollution[0];
  }

  /** What two back-to-back reads of the thread's CPU clock measure with nothing between them. */
  private static long clockReadNs(ThreadMXBean mx) {
    if (clockReadNs < 0) {
      long total = 0;
      for (int i = 0; i < 20_000; i++) {
        long t0 = mx.getCurrentThreadCpuTime();
        total += mx.getCurrentThreadCpuTime() - t0;
      }
      clockReadNs = total / 20_000;
    }
    return clockReadNs;
  }

  private WebhookDirectBenchmark() {}

  public static void main(String[] args) throws Exception {
    int requests = 4_000;
    int rounds = 5;
    int snsRequests = -1;
    int polluteKb = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--requests" -> requests = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--sns-requests" -> snsRequests = Integer.parseInt(args[i + 1]);
        case "--pollute" -> polluteKb = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --requests N"
            + " --rounds N --sns-requests N --pollute KB");
      }
    }
    if (snsRequests < 0) {
      snsRequests = Math.min(requests, 1_000);
    }
    RoutingEngine engine = TwilioWebhookBenchmark.routingEngine();
    boolean[] routing = {true};
    ProviderListener listener = new ProviderListener() {
      @Override
      public void onInbound(InboundSms sms) {
        if (routing[0]) {
          engine.route(sms);
        }
      }

      @Override
      public void onDeliveryReport(DeliveryReport report) {}
    };
    TwilioWebhookHandler twilio = TwilioWebhookHandler.builder().provider("twilio").authToken(TOKEN)
        .accountSid(ACCOUNT).listener(listener).build();
    SnsBenchMessages snsMessages = new SnsBenchMessages();
    EumSmsProvider eum = SnsBenchMessages.provider(listener);
    SnsWebhookHandler sns = snsMessages.handler(eum);
    try {
      int warmUp = Math.max(4_000, requests);
      // per side and round: its own requests (twilio and SNS, with and without routing), plus the warm-up
      int twilioCount = warmUp * 3 + rounds * requests * 3;
      int snsWarmUp = Math.min(warmUp, 2_000);
      int snsCount = snsWarmUp * 2 + rounds * snsRequests * 2; // signing costs the client about a millisecond each
      TwilioWebhookSignature signer = TwilioWebhookSignature.of(List.of(TOKEN));
      List<TwilioRequest> forms = new ArrayList<>(twilioCount);
      for (int i = 0; i < twilioCount; i++) {
        forms.add(TwilioRequest.of(signer, i));
      }
      List<byte[]> bodies = snsMessages.sign(snsCount, "+14255550182", SNS_BUSINESS.address());
      URI snsUrl = URI.create("http://127.0.0.1:8080/sns/inbound");
      Map<String, List<String>> snsHeaders = Map.of("Content-Type", List.of("text/plain; charset=UTF-8"),
          "x-amz-sns-message-type", List.of("Notification"));
      int[] nextForm = {0};
      int[] nextBody = {0};
      byte[] pollution = new byte[polluteKb * 1024];
      ThreadMXBean threadClock = ManagementFactory.getThreadMXBean();
      IntConsumer twilioCalls = timedCalls(forms, nextForm, pollution, threadClock,
          r -> twilio.handle("POST", URL, r.headers, r.body).status(), "Twilio webhook refused a request");
      TwilioFloorHandler floor = new TwilioFloorHandler(URL.substring(0, URL.indexOf("/twilio/")), TOKEN,
          BUSINESS.address(), "<Response/>", new java.util.concurrent.atomic.AtomicInteger());
      floorCalls = timedCalls(forms, nextForm, pollution, threadClock,
          r -> floor.answer(URL, r.body, r.headers.get("X-Twilio-Signature").get(0)), "the floor refused a request");
      IntConsumer snsCalls = n -> {
        for (int i = 0; i < n; i++) {
          byte[] body = bodies.get(nextBody[0]++);
          if (sns.handle("POST", snsUrl, snsHeaders, new ByteArrayInputStream(body)).status() != 200) {
            throw new IllegalStateException("SNS webhook refused a request");
          }
        }
      };
      // The routing decision alone, for messages like the Twilio side's: each from a customer not seen before.
      List<InboundSms> messages = new ArrayList<>();
      int routeCount = warmUp + rounds * requests;
      for (int i = 0; i < routeCount; i++) {
        messages.add(InboundSms.builder().provider("twilio").providerMessageId(String.format(Locale.ROOT, "SMr%031x", i))
            .from(PhoneNumber.of("+1425" + (3_000_000 + i))).to(BUSINESS).body("On my way")
            .receivedAt(java.time.Instant.now()).build());
      }
      int[] nextMessage = {0};
      IntConsumer routeCalls = n -> {
        for (int i = 0; i < n; i++) {
          engine.route(messages.get(nextMessage[0]++));
        }
      };
      // One RSA-2048 SHA256withRSA verification alone, with one Signature kept initialized: the floor of the SNS side.
      byte[][][] signedTexts = new byte[64][][];
      for (int i = 0; i < signedTexts.length; i++) {
        signedTexts[i] = snsMessages.signedText(i);
      }
      java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
      rsa.initVerify(snsMessages.verifyingKey);
      int[] nextText = {0};
      rsaCalls = n -> {
        try {
          for (int i = 0; i < n; i++) {
            byte[][] t = signedTexts[nextText[0]++ & (signedTexts.length - 1)];
            rsa.update(t[0]);
            if (!rsa.verify(t[1])) {
              throw new IllegalStateException("RSA verification failed");
            }
          }
        } catch (java.security.SignatureException e) {
          throw new IllegalStateException(e);
        }
      };
      String[] names = {"twilio", "twilio-noroute", "twilio-floor", "sns", "sns-noroute", "route", "rsa"};
      int[] counts = {requests, requests, requests, snsRequests, snsRequests, requests, snsRequests};
      for (int k = 0; k < names.length; k++) {
        measure(names[k], names[k].startsWith("sns") || names[k].equals("rsa") ? snsWarmUp : warmUp, routing,
            twilioCalls, snsCalls, routeCalls);
      }
      double[][] us = new double[names.length][rounds];
      double[][] bytes = new double[names.length][rounds];
      System.out.printf(Locale.ROOT, "Webhook handlers called directly (no HTTP), CPU us per request of the calling"
          + " thread, %d Twilio and %d SNS requests per side and round, %d rounds, Java %s, load %s%s%n", requests,
          snsRequests, rounds, Runtime.version(), TwilioWebhookBenchmark.load(), polluteKb == 0 ? ""
              : ", Twilio calls measured alone after writing " + polluteKb + " KiB between them");
      System.out.println("round  " + String.join("  ", names));
      for (int round = 0; round < rounds; round++) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5d", round + 1));
        for (int k = 0; k < names.length; k++) {
          int idx = round % 2 == 0 ? k : names.length - 1 - k;
          double[] m = measure(names[idx], counts[idx], routing, twilioCalls, snsCalls, routeCalls);
          us[idx][round] = m[0];
          bytes[idx][round] = m[1];
        }
        for (int k = 0; k < names.length; k++) {
          line.append(String.format(Locale.ROOT, "  %" + names[k].length() + ".1f", us[k][round]));
        }
        System.out.println(line);
      }
      StringBuilder medians = new StringBuilder("median");
      for (int k = 0; k < names.length; k++) {
        medians.append(String.format(Locale.ROOT, "  %s %.1f us", names[k], Median.of(us[k])));
      }
      System.out.println(medians);
      StringBuilder allocated = new StringBuilder("median bytes allocated per request");
      for (int k = 0; k < names.length; k++) {
        allocated.append(String.format(Locale.ROOT, "  %s %.0f", names[k], Median.of(bytes[k])));
      }
      System.out.println(allocated);
    } finally {
      eum.close();
    }
  }

  /** Returns {CPU microseconds, bytes allocated} per request of the calling thread. */
  private static double[] measure(String name, int n, boolean[] routing, IntConsumer twilio, IntConsumer sns,
      IntConsumer route) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    routing[0] = !name.endsWith("-noroute");
    IntConsumer calls = name.equals("twilio-floor") ? floorCalls : name.startsWith("twilio") ? twilio : name.startsWith("sns") ? sns
        : name.equals("rsa") ? rsaCalls : route;
    long bytes0 = mx.getCurrentThreadAllocatedBytes();
    long cpu0 = mx.getCurrentThreadCpuTime();
    long handlerOnly0 = handlerOnlyNs;
    calls.accept(n);
    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
    if (handlerOnlyNs != handlerOnly0) { // --pollute: only the handler's calls count, not the walk between them
      cpu = handlerOnlyNs - handlerOnly0 - n * clockReadNs(mx);
    }
    return new double[] {cpu / 1e3 / n, (mx.getCurrentThreadAllocatedBytes() - bytes0) / (double) n};
  }

  /** A signed inbound-message form post from a customer of its own, as Twilio sends it. */
  private record TwilioRequest(Map<String, List<String>> headers, byte[] body) {
    static TwilioRequest of(TwilioWebhookSignature signer, long n) {
      List<Map.Entry<String, String>> form = List.of(Map.entry("AccountSid", ACCOUNT),
          Map.entry("Body", "On my way"), Map.entry("From", "+1415" + (2_000_000 + n % 200_000 + 1_000_000)),
          Map.entry("MessageSid", String.format(Locale.ROOT, "SM%032x", n)), Map.entry("NumMedia", "0"),
          Map.entry("SmsStatus", "received"), Map.entry("To", BUSINESS.address()));
      StringBuilder body = new StringBuilder();
      for (Map.Entry<String, String> e : form) {
        if (body.length() > 0) {
          body.append('&');
        }
        body.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      }
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      return new TwilioRequest(Map.of("Content-Type", List.of("application/x-www-form-urlencoded"),
          "Content-Length", List.of(String.valueOf(bytes.length)),
          "X-Twilio-Signature", List.of(signer.sign(URL, form))), bytes);
    }
  }
}
