package dev.smsgateway.examples;

import dev.smsgateway.SmsConfigurationException;
import java.io.PrintStream;
import java.util.function.Function;

/**
 * The command line the provider examples share: {@code --loopback} runs against local stand-ins, otherwise a real
 * account from environment variables, texting {@code --to NUMBER}. Exit codes: 0 done, 1 failed, 2 bad usage or
 * settings.
 *
 * <p>Not thread-safe (a program's entry point).
 */
final class ProviderExampleCli {

  /** What an example does in each mode. */
  interface Modes {
    int loopback() throws Exception;

    int realAccount(Function<String, String> env, String to) throws Exception;
  }

  private ProviderExampleCli() {}

  /** Parses {@code args} and runs the mode they choose; returns the process exit code. */
  static int run(String name, String[] args, PrintStream out, Function<PrintStream, Modes> example) {
    boolean loopback = false;
    String to = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--loopback" -> loopback = true;
        case "--to" -> {
          if (i + 1 >= args.length) {
            out.println("--to needs a phone number");
            return 2;
          }
          to = args[++i];
        }
        default -> {
          out.println("unknown option " + args[i] + "; options: --loopback, --to NUMBER");
          return 2;
        }
      }
    }
    try {
      Modes modes = example.apply(out);
      return loopback ? modes.loopback() : modes.realAccount(System::getenv, to);
    } catch (IllegalArgumentException | SmsConfigurationException e) {
      out.println(name + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      out.println(name + " failed: " + e);
      e.printStackTrace(out);
      return 1;
    }
  }
}
