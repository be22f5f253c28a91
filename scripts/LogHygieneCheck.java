import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * X1 checker: reads the DEBUG logs given on the command line and counts occurrences of each test secret (plain,
 * base64, lower/upper hex of its UTF-8 bytes) and of each full test phone number (E.164, URL-encoded, hex of the
 * digits as jsmpp dumps PDUs). Phone numbers are collected from the tests themselves; any other E.164-looking string in
 * the logs is reported too. A secret inside a longer base64 string (HTTP Basic auth: base64 of "accountSid:token") is
 * found at any of the three byte alignments. So that the check cannot pass because nothing was logged, it also
 * requires DEBUG lines from each logger family given with --expect (comma-separated logger name prefixes).
 * Logs named log-hygiene-known.log hold the known third-party loggers of .ci/logback-debug.xml: phone numbers found
 * there are reported but do not fail the check; a secret found there does. Logs named log-hygiene-peer.log hold what
 * test peers (the SMSC simulator's jsmpp server side) log about what they received: reported, never failing. Exit 1 when anything is found in the other logs or an expected family is
 * missing.
 * Run: java scripts/LogHygieneCheck.java <repo> [--expect org.jsmpp,io.netty,...] <log>...
 */
public final class LogHygieneCheck {

  // The secrets the tests configure (grep the tests for password(, credentials(, TOKEN, SECRET_KEY). Very short or
  // generic ones ("pw", "secret", "12345", "bench", "demo") are left out: they would match unrelated text.
  static final List<String> SECRETS = List.of(
      "eumTestSecretKey/doNotLog/0123456789abcdef",  // sms-eum AWS secret key
      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",    // AWS documentation example secret key used in tests
      "test-auth-token-5c1f0e",                      // sms-twilio auth token
      "webhook-token-9f2c",                          // sms-twilio webhook token
      "fuzz-token",                                  // sms-twilio fuzz token
      "flex-test-auth-token-7b2e",                   // sms-twilio-flex auth token
      "demopass",                                    // examples SMPP password
      "alice-token-0123456789",                      // sms-console static bearer token (and bob's below)
      "bob-token-0123456789ab",
      "consolpw",                                    // sms-console tests' SMPP password
      "kitpw",                                       // compatibility kit SMPP password
      "simPw9",                                      // sms-smpp-wire QuietPduSenderTest SMPP password
      "token-never-logged-5c1f",                     // sms-spring-boot-starter Twilio auth token
      "wr0ngPw7",                                    // sms-spring-boot-starter refused SMPP password
      "exSim7pw");                                   // examples-spring-boot simulator SMPP password

  static final Pattern E164_IN_SOURCE = Pattern.compile("\"(\\+[1-9]\\d{9,14})\"");
  static final Pattern E164_IN_LOG = Pattern.compile("(?<![\\d*+])\\+[1-9]\\d{9,14}(?![\\d*])");

  static final Pattern DEBUG_LINE = Pattern.compile("^\\S+ DEBUG \\[[^\\]]*\\] (\\S+) - ");

  /**
   * The base64 forms of {@code secret} when it sits inside a longer encoded string: for each of the three alignments,
   * the characters that depend only on the secret's own bytes. Parts shorter than 8 characters are left out.
   */
  static List<String> base64Inner(byte[] secret) {
    List<String> out = new ArrayList<>();
    for (int shift = 0; shift < 3; shift++) {
      byte[] padded = new byte[shift + secret.length];
      System.arraycopy(secret, 0, padded, shift, secret.length);
      String enc = Base64.getEncoder().withoutPadding().encodeToString(padded);
      int from = shift == 0 ? 0 : 4;                         // the first group mixes in the bytes before the secret
      int to = (padded.length / 3) * 4;                       // a partial last group mixes in the bytes after it
      if (to - from >= 8) {
        out.add(enc.substring(from, to));
      }
    }
    return out;
  }

  public static void main(String[] argv) throws IOException {
    List<String> args = new ArrayList<>(List.of(argv));
    Path repo = Path.of(args.remove(0));
    List<String> expected = new ArrayList<>();
    if (!args.isEmpty() && args.get(0).equals("--expect")) {
      args.remove(0);
      expected.addAll(List.of(args.remove(0).split(",")));
    }
    TreeSet<String> numbers = new TreeSet<>();
    try (Stream<Path> files = Files.walk(repo)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")
          && p.toString().contains("/src/test/") && !p.toString().contains("/target/"))::iterator) {
        Matcher m = E164_IN_SOURCE.matcher(Files.readString(f));
        while (m.find()) {
          numbers.add(m.group(1));
        }
      }
    }
    Map<String, String> needles = new LinkedHashMap<>();
    for (String s : SECRETS) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      needles.put(s, "secret " + s);
      needles.put(Base64.getEncoder().encodeToString(b), "secret " + s + " (base64)");
      for (String inner : base64Inner(b)) {
        needles.putIfAbsent(inner, "secret " + s + " (inside base64)");
      }
      needles.put(HexFormat.of().formatHex(b), "secret " + s + " (hex)");
      needles.put(HexFormat.of().withUpperCase().formatHex(b), "secret " + s + " (HEX)");
    }
    for (String n : numbers) {
      String digits = n.substring(1);
      needles.put(HexFormat.of().formatHex(digits.getBytes(StandardCharsets.US_ASCII)), "number " + n + " (hex)");
      needles.put("%2B" + digits, "number " + n + " (URL-encoded)");
    }
    System.out.printf("checking %d logs for %d secrets and %d test phone numbers%n", args.size(), SECRETS.size(),
        numbers.size());
    Map<String, Long> debugLines = new LinkedHashMap<>();
    expected.forEach(e -> debugLines.put(e, 0L));
    Map<String, Integer> strictHits = new LinkedHashMap<>();
    Map<String, Integer> knownHits = new LinkedHashMap<>();
    Map<String, String> examples = new LinkedHashMap<>();
    Map<String, Integer> strictOther = new LinkedHashMap<>();
    Map<String, Integer> knownOther = new LinkedHashMap<>();
    long lines = 0;
    for (String arg : args) {
      Path log = Path.of(arg);
      String fileName = log.getFileName().toString();
      boolean peer = fileName.equals("log-hygiene-peer.log");
      boolean known = peer || fileName.equals("log-hygiene-known.log");
      Map<String, Integer> hits = known ? knownHits : strictHits;
      Map<String, Integer> otherE164 = known ? knownOther : strictOther;
      long linesBefore = lines;
      try (Stream<String> stream = Files.lines(log, StandardCharsets.UTF_8)) {
        for (String line : (Iterable<String>) stream::iterator) {
          lines++;
          Matcher d = DEBUG_LINE.matcher(line);
          if (d.find()) {
            for (String family : expected) {
              if (d.group(1).startsWith(family)) {
                debugLines.merge(family, 1L, Long::sum);
              }
            }
          }
          for (Map.Entry<String, String> e : needles.entrySet()) {
            if (line.contains(e.getKey())) {
              String key = e.getValue() + " in " + repo.relativize(log.toAbsolutePath().normalize());
              // a secret fails the check wherever it is; the known loggers are excused only for phone numbers
              (e.getValue().startsWith("secret") && !peer ? strictHits : hits).merge(key, 1, Integer::sum);
              examples.putIfAbsent(key, line.length() > 300 ? line.substring(0, 300) + "..." : line);
            }
          }
          Matcher m = E164_IN_LOG.matcher(line);
          while (m.find()) {
            String where = " in " + repo.relativize(log.toAbsolutePath().normalize());
            if (numbers.contains(m.group())) {
              hits.merge("number " + m.group() + where, 1, Integer::sum);
              examples.putIfAbsent("number " + m.group() + where, line.length() > 300 ? line.substring(0, 300) + "..." : line);
            } else {
              otherE164.merge(m.group() + where, 1, Integer::sum);
            }
          }
        }
      } catch (java.io.UncheckedIOException e) {
        System.out.println("could not read " + log + " as UTF-8: " + e.getCause());
      }
      System.out.printf("%,10d lines  %s%n", lines - linesBefore, repo.relativize(log.toAbsolutePath().normalize()));
    }
    System.out.printf("%,d log lines read%n", lines);
    if (!knownHits.isEmpty() || !knownOther.isEmpty()) {
      System.out.println("known third-party and test-peer loggers (docs/operations.md, X1; reported, not failing):");
      knownHits.forEach((k, v) -> System.out.printf("%6d x %s%n         e.g. %s%n", v, k, examples.get(k)));
      knownOther.forEach((k, v) -> System.out.printf("%6d x other full E.164 number %s%n", v, k));
    }
    List<String> report = new ArrayList<>();
    strictHits.forEach((k, v) -> report.add(String.format("%6d x %s%n         e.g. %s", v, k, examples.get(k))));
    strictOther.forEach((k, v) -> report.add(String.format("%6d x other full E.164 number %s", v, k)));
    debugLines.forEach((family, n) -> {
      System.out.printf("%,10d DEBUG lines from %s%n", n, family);
      if (n == 0) {
        report.add("     0 DEBUG lines from " + family + ": that logger family did not reach the logs, so they prove nothing"
            + " about it");
      }
    });
    report.forEach(System.out::println);
    System.out.println(report.isEmpty() ? "X1 PASS: nothing found" : "X1 FAIL: " + report.size() + " finding(s)");
    System.exit(report.isEmpty() ? 0 : 1);
  }
}
