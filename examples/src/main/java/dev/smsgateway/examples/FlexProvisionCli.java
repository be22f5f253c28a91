package dev.smsgateway.examples;

import com.twilio.http.TwilioRestClient;
import dev.smsgateway.Originator;
import dev.smsgateway.routing.FlexRouting;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.twilio.SingleAttemptHttpClient;
import dev.smsgateway.twilio.flex.FlexProvisioning;
import dev.smsgateway.twilio.flex.ProvisioningReport;
import java.io.PrintStream;
import java.net.URI;
import java.util.Locale;
import java.util.function.Function;

/**
 * Example {@code flex-provision}: checks (and with {@code --create} creates) what a Flex mapping needs in a Twilio
 * account, with {@link FlexProvisioning}, and prints the report.
 *
 * <pre>
 * java -jar sms-gateway-examples.jar flex-provision --number +14155550100 \
 *     --webhook-url https://sms.example.com/twilio/conversations [--target phone|worker-sid] [--create]
 * </pre>
 * Reads {@code TWILIO_ACCOUNT_SID}, {@code TWILIO_AUTH_TOKEN}, {@code FLEX_WORKSPACE_SID}, {@code FLEX_WORKFLOW_SID},
 * {@code FLEX_CONVERSATION_SERVICE_SID} and optionally {@code FLEX_TASK_CHANNEL} from the environment. Exit codes:
 * 0 everything in place, 3 something missing or in conflict, 2 bad arguments, 1 Twilio refused a request.
 *
 * <p>Not thread-safe (a program).
 */
final class FlexProvisionCli {

  private FlexProvisionCli() {}

  static int run(String[] args, PrintStream out, Function<String, String> env) {
    String number = null;
    String url = null;
    FlexProvisioning.Target target = FlexProvisioning.Target.PHONE;
    boolean create = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--number" -> number = value(args, ++i, "--number");
          case "--webhook-url" -> url = value(args, ++i, "--webhook-url");
          case "--target" -> target = switch (value(args, ++i, "--target").toLowerCase(Locale.ROOT)) {
            case "phone" -> FlexProvisioning.Target.PHONE;
            case "worker-sid" -> FlexProvisioning.Target.WORKER_SID;
            default -> throw new IllegalArgumentException("--target must be phone or worker-sid");
          };
          case "--create" -> create = true;
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + "; options: --number N --webhook-url URL [--target phone|worker-sid] [--create]");
        }
      }
      if (number == null || url == null) {
        throw new IllegalArgumentException("--number and --webhook-url are required");
      }
      String channel = env.apply("FLEX_TASK_CHANNEL");
      String businessNumber = number;
      Mapping mapping = Mapping.builder("flex").provider("twilio").defaultCountry("US")
          .delivery(dev.smsgateway.routing.Delivery.FLEX)
          .flex(new FlexRouting(required(env, "FLEX_WORKSPACE_SID"), required(env, "FLEX_WORKFLOW_SID"),
              channel == null ? "sms" : channel, required(env, "FLEX_CONVERSATION_SERVICE_SID")))
          .addNumber(n -> n.number(businessNumber).displayName("Flex").queue("flex")).build();
      TwilioRestClient client = new TwilioRestClient.Builder(required(env, "TWILIO_ACCOUNT_SID"),
          required(env, "TWILIO_AUTH_TOKEN")).httpClient(SingleAttemptHttpClient.create(5000, 15_000, 2)).build();
      Originator business = mapping.numbers().get(0).number();
      ProvisioningReport report = new FlexProvisioning(client, mapping).check(business, URI.create(url), target, create);
      out.print(report);
      out.println(report.complete() ? "complete" : "incomplete");
      return report.complete() ? 0 : 3;
    } catch (IllegalArgumentException | dev.smsgateway.SmsValidationException e) {
      out.println("flex-provision: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      out.println("flex-provision failed: " + e.getMessage());
      return 1;
    }
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  private static String required(Function<String, String> env, String name) {
    String v = env.apply(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is not set");
    }
    return v;
  }
}
