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
 * the logs is reported too. Exit 1 when anything is found. Run: java scripts/LogHygieneCheck.java <repo> <log>...
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
      "demopass",                                    // examples SMPP password
      "kitpw");                                      // compatibility kit SMPP password

  static final Pattern E164_IN_SOURCE = Pattern.compile("\"(\\+[1-9]\\d{9,14})\"");
  static final Pattern E164_IN_LOG = Pattern.compile("(?<![\\d*+])\\+[1-9]\\d{9,14}(?![\\d*])");

  public static void main(String[] args) throws IOException {
    Path repo = Path.of(args[0]);
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
      needles.put(HexFormat.of().formatHex(b), "secret " + s + " (hex)");
      needles.put(HexFormat.of().withUpperCase().formatHex(b), "secret " + s + " (HEX)");
    }
    for (String n : numbers) {
      String digits = n.substring(1);
      needles.put(HexFormat.of().formatHex(digits.getBytes(StandardCharsets.US_ASCII)), "number " + n + " (hex)");
      needles.put("%2B" + digits, "number " + n + " (URL-encoded)");
    }
    System.out.printf("checking %d logs for %d secrets and %d test phone numbers%n", args.length - 1, SECRETS.size(),
        numbers.size());
    Map<String, Integer> hits = new LinkedHashMap<>();
    Map<String, String> examples = new LinkedHashMap<>();
    Map<String, Integer> otherE164 = new LinkedHashMap<>();
    long lines = 0;
    for (int i = 1; i < args.length; i++) {
      Path log = Path.of(args[i]);
      try (Stream<String> stream = Files.lines(log, StandardCharsets.UTF_8)) {
        for (String line : (Iterable<String>) stream::iterator) {
          lines++;
          for (Map.Entry<String, String> e : needles.entrySet()) {
            if (line.contains(e.getKey())) {
              String key = e.getValue() + " in " + repo.relativize(log.toAbsolutePath().normalize());
              hits.merge(key, 1, Integer::sum);
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
    }
    System.out.printf("%,d log lines read%n", lines);
    List<String> report = new ArrayList<>();
    hits.forEach((k, v) -> report.add(String.format("%6d x %s%n         e.g. %s", v, k, examples.get(k))));
    otherE164.forEach((k, v) -> report.add(String.format("%6d x other full E.164 number %s", v, k)));
    report.forEach(System.out::println);
    System.out.println(report.isEmpty() ? "X1 PASS: nothing found" : "X1 FAIL: " + report.size() + " finding(s)");
    System.exit(report.isEmpty() ? 0 : 1);
  }
}
