package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.smsgateway.test.smsc.ReceivedSubmit;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The README's first quick start ("a gateway around a provider"), taken from README.md as it is, compiled against this
 * project's class path (sms-bom, sms-smpp, logback) and run. Only the SMSC's address is replaced, by a simulator's on
 * loopback, as a user replaces it by their own; its password comes from SMPP_PASSWORD as the snippet expects.
 */
class ReadmeQuickStartTest {

  private static final String HEADING = "## Quick start: a gateway around a provider";

  static String snippet(String readme) {
    int heading = readme.indexOf(HEADING);
    assertTrue(heading >= 0, "README has no '" + HEADING + "'");
    int start = readme.indexOf("```java\n", heading);
    int end = readme.indexOf("\n```", start + 8);
    assertTrue(start > 0 && end > start, "no java block after the heading");
    return readme.substring(start + 8, end + 1);
  }

  private static String replaceOnce(String text, String what, String with) {
    int at = text.indexOf(what);
    assertTrue(at >= 0 && text.indexOf(what, at + 1) < 0, "the quick start should contain " + what + " once");
    return text.replace(what, with);
  }

  @Test
  void readmeSaysHowToDependOnTheLibrary() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("readme")));
    int heading = readme.indexOf("## Adding it to your build");
    assertTrue(heading >= 0, "README has no '## Adding it to your build'");
    int start = readme.indexOf("```xml\n", heading);
    String xml = readme.substring(start, readme.indexOf("\n```", start + 7));
    // what this project's pom does: the BOM imported, modules without versions, an SLF4J binding
    assertTrue(xml.matches("(?s).*<artifactId>sms-bom</artifactId>.*<type>pom</type>.*<scope>import</scope>.*"), xml);
    for (String module : List.of("sms-smpp", "sms-test")) {
      assertTrue(xml.matches("(?s).*<artifactId>" + module + "</artifactId>(<scope>\\w+</scope>)?</dependency>.*"),
          module + " is listed without a version: " + xml);
    }
    assertTrue(xml.contains("<artifactId>logback-classic</artifactId>"), "an SLF4J binding is named");
    String after = readme.substring(heading);
    assertTrue(after.contains("com.h2database:h2") && after.contains("org.postgresql:postgresql"),
        "the optional JDBC drivers are named");
  }

  @Test
  void readmeQuickStartCompilesAndSends() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("readme")));
    try (SmscSimulator smsc = SmscSimulator.builder().credentials("esme", System.getenv("SMPP_PASSWORD")).build()
        .start()) {
      String body = snippet(readme);
      body = replaceOnce(body, "\"smsc.example.net\"", "\"" + smsc.host() + "\"");
      body = replaceOnce(body, ".port(2775)", ".port(" + smsc.port() + ")");
      String source = "package quickstart;\n"
          + "import dev.smsgateway.*;\n"
          + "import dev.smsgateway.smpp.*;\n"
          + "public class QuickStart {\n"
          + "  public static void run() throws Exception {\n" + body + "  }\n"
          + "}\n";
      Path dir = Files.createDirectories(Path.of("target", "quickstart"));
      Path file = Files.createDirectories(dir.resolve("quickstart")).resolve("QuickStart.java");
      Files.writeString(file, source);
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      int rc = javac.run(null, null, null, "-classpath", System.getProperty("java.class.path"), "-d",
          dir.toString(), file.toString());
      assertEquals(0, rc, "the README's quick start does not compile:\n" + source);

      try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {dir.toUri().toURL()},
          ReadmeQuickStartTest.class.getClassLoader())) {
        loader.loadClass("quickstart.QuickStart").getMethod("run").invoke(null);
      }
      assertTrue(smsc.awaitAccepted(1, Duration.ofSeconds(20)), "the quick start's message never reached the SMSC");
      List<ReceivedSubmit> accepted = smsc.accepted();
      assertEquals(1, accepted.size());
      assertEquals("Your table is ready", accepted.get(0).text());
    }
  }
}
