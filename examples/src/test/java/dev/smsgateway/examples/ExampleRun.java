package dev.smsgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;

/** Runs an example's {@code run(args, out)} in-process and returns its transcript, asserting exit code 0. */
final class ExampleRun {

  private ExampleRun() {}

  static String run(BiFunction<String[], PrintStream, Integer> example, String... args) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      code = example.apply(args, out);
    }
    String transcript = buffer.toString(StandardCharsets.UTF_8);
    assertThat(code).as(transcript).isZero();
    return transcript;
  }
}
