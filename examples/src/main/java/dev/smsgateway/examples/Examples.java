package dev.smsgateway.examples;

import java.util.Arrays;

/**
 * The entry point of the examples jar: {@code java -jar sms-gateway-examples.jar <example> [options]}, where the
 * example is {@code demo} (the default), {@code twilio-webhook}, {@code eum-sns}, {@code connect},
 * {@code yaml-config} or {@code email}; each provider example takes {@code --loopback} to run against local
 * stand-ins (see
 * {@code docs/examples.md}).
 *
 * <p>Not thread-safe (a main class).
 */
public final class Examples {

  private Examples() {}

  /** Runs the named example; {@code demo} when none is named. */
  public static void main(String[] args) throws Exception {
    String name = args.length == 0 || args[0].startsWith("--") ? "demo" : args[0];
    String[] rest = args.length == 0 || args[0].startsWith("--") ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (name) {
      case "demo" -> System.exit(Demo.run(rest, System.out));
      case "console-demo" -> System.exit(ConsoleDemo.run(rest, System.out));
      case "twilio-webhook" -> System.exit(TwilioWebhookExample.run(rest, System.out));
      case "eum-sns" -> System.exit(EumSnsExample.run(rest, System.out));
      case "connect" -> System.exit(ConnectExample.run(rest, System.out));
      case "yaml-config" -> System.exit(YamlConfigExample.run(rest, System.out));
      case "email" -> System.exit(EmailExample.run(rest, System.out));
      case "flex" -> System.exit(FlexExample.run(rest, System.out));
      case "flex-provision" -> System.exit(FlexProvisionCli.run(rest, System.out, System::getenv));
      default -> {
        System.err.println("unknown example '" + name + "'; available: demo, twilio-webhook, eum-sns, connect, "
            + "yaml-config, email, flex, flex-provision");
        System.exit(2);
      }
    }
  }
}
