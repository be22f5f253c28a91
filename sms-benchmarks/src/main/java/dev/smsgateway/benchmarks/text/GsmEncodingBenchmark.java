package dev.smsgateway.benchmarks.text;

import com.cloudhopper.commons.charset.CharsetUtil;
import dev.smsgateway.text.Encoding;
import dev.smsgateway.text.Gsm7;
import dev.smsgateway.text.SegmentPlan;
import dev.smsgateway.text.SmsEncoding;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * GSM-7 encoding of one text (goal: encode + segment at least 20x cloudhopper's encoder on the same
 * texts). {@link #smsGateway} is what a provider does with a text: {@link SmsEncoding#plan(String)} (GSM-7 or not, the
 * septet count, the parts, never splitting an escape) and then {@link Gsm7#encode} of each part, unpacked, one septet
 * a byte (the SMPP {@code data_coding} 0 form). {@link #cloudhopper} is ch-commons-charset's
 * {@code CharsetUtil.CHARSET_GSM.encode} of the whole text, the same unpacked form, with no segmentation at all.
 * {@link #check} fails the trial unless both produce the same bytes.
 *
 * <p>Texts: {@code length} characters of a typical notification, without extension characters or with about one
 * in 20 (the euro sign, brackets, braces, tilde, pipe, caret, backslash), which take an escape septet each.
 * {@link GsmEncodingBenchmarkMain} runs both in interleaved rounds and prints the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GsmEncodingBenchmark {

  private static final String PROSE = "Hi Anna, your order 4711 shipped today and arrives Tuesday between 9:00 and"
      + " 12:00. Reply STOP to opt out, HELP for help. Questions? Call us at +1 415 555 0199 or write to"
      + " support@example.com; we answer within 2 hours (Mon-Fri). Thanks for shopping with ACME! ";
  private static final String EXTENSION = "€[]{}~|^\\";

  /** Characters in the text. */
  @Param({"70", "160", "300", "1000"})
  public int length;

  /** Whether about one character in 20 comes from the extension table. */
  @Param({"false", "true"})
  public boolean extension;

  private String text;

  @Setup
  public void text() {
    text = text(length, extension);
    check(text);
  }

  /** The benchmark's text: {@code length} characters, one in 20 from the extension table when asked. */
  static String text(int length, boolean extension) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; sb.length() < length; i++) {
      sb.append(extension && i % 20 == 19 ? EXTENSION.charAt((i / 20) % EXTENSION.length())
          : PROSE.charAt(i % PROSE.length()));
    }
    return sb.toString();
  }

  /**
   * Fails unless the parts {@link #smsGateway} encodes are, joined, the bytes cloudhopper writes for the whole text
   * (both unpacked GSM 03.38 with 0x1B escapes), and the parts fit their capacity.
   */
  static void check(String text) {
    SegmentPlan plan = SmsEncoding.plan(text);
    if (plan.encoding() != Encoding.GSM7) {
      throw new IllegalStateException("text is not GSM-7");
    }
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (String part : plan.parts()) {
      byte[] bytes = Gsm7.encode(part);
      if (bytes.length > plan.unitsPerPart()) {
        throw new IllegalStateException("part of " + bytes.length + " septets > " + plan.unitsPerPart());
      }
      joined.writeBytes(bytes);
    }
    byte[] theirs = CharsetUtil.encode(text, CharsetUtil.CHARSET_GSM);
    if (!Arrays.equals(joined.toByteArray(), theirs)) {
      throw new IllegalStateException("sms-gateway and cloudhopper encode " + text.length() + " characters differently");
    }
  }

  /** Plan (encoding, septets, parts) and encode each part. */
  @Benchmark
  public void smsGateway(Blackhole bh) {
    SegmentPlan plan = SmsEncoding.plan(text);
    for (String part : plan.parts()) {
      bh.consume(Gsm7.encode(part));
    }
  }

  /** cloudhopper's encoder on the whole text (no parts). */
  @Benchmark
  public byte[] cloudhopper() {
    return CharsetUtil.encode(text, CharsetUtil.CHARSET_GSM);
  }
}
