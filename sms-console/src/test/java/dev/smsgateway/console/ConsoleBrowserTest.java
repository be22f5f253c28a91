package dev.smsgateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.test.phone.CustomerPhone;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in headless Chromium (Debian's chromium and chromedriver; scripts/chromium.sh installs them): an agent
 * signs in, texts a customer, the customer phone page replies, the reply shows in the agent's window with the
 * whisper, STOP greys the conversation out, and a second agent cannot open it. Screenshots go to
 * target/screenshots; with {@code -Dconsole.screenshots=docs} the laptop one is also copied to
 * docs/images/console.png for the README. Skipped when Chromium is missing, except under CI=true, where it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

  private static final String CUSTOMER = "+14155550123";
  private static final Path SHOTS = Path.of("target", "screenshots");

  private ConsoleFixture f;
  private CustomerPhone phone;
  private WebDriver driver;
  private Path profile;

  @BeforeAll
  void start() throws Exception {
    String chromium = System.getenv().getOrDefault("SMS_TEST_CHROMIUM", "/usr/bin/chromium");
    String chromedriver = System.getenv().getOrDefault("SMS_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
    boolean present = new File(chromium).canExecute() && new File(chromedriver).canExecute();
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("Chromium or chromedriver is missing (" + chromium + ", " + chromedriver
          + "); run scripts/chromium.sh");
    }
    Assumptions.assumeTrue(present, "Chromium is not installed (scripts/chromium.sh installs it)");
    f = new ConsoleFixture(b -> b.secureCookies(true));
    phone = CustomerPhone.start(f.smsc, new InetSocketAddress("127.0.0.1", 0));
    profile = Files.createTempDirectory("console-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,860");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  void stop() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (phone != null) {
      phone.close();
    }
    if (f != null) {
      f.close();
    }
    if (profile != null) {
      try (var walk = Files.walk(profile)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private WebDriverWait waitUp() {
    return new WebDriverWait(driver, Duration.ofSeconds(10));
  }

  private void signIn(String token) {
    WebElement field = waitUp().until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    field.sendKeys(token, Keys.ENTER); // keyboard only
    waitUp().until(ExpectedConditions.visibilityOfElementLocated(By.id("desk")));
  }

  private void shot(String name) throws IOException {
    Path file = SHOTS.resolve(name);
    Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  @Test
  @DisplayName("sign in, text a customer, the reply comes back with the whisper, STOP greys it out, bob cannot open it")
  void agentScenario() throws Exception {
    driver.get(f.uri().toString());
    String agentTab = driver.getWindowHandle();
    signIn(ConsoleFixture.ALICE_TOKEN);
    assertThat(driver.findElement(By.id("agent-name")).getText()).isEqualTo("alice");
    waitUp().until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "Live"));
    new Select(driver.findElement(By.id("from"))).selectByVisibleText("ACME Support (+14155550100)");
    driver.findElement(By.id("to")).sendKeys("(415) 555-0123");
    driver.findElement(By.id("first-text")).sendKeys("Hi Dana, this is Alice from ACME. Your router ships today.");
    driver.findElement(By.cssSelector("#new-form button[type=submit]")).click();
    waitUp().until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "Your router ships today"));
    waitUp().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#transcript .tick.delivered")));
    String first = driver.getCurrentUrl().replaceAll(".*conversation=", "");
    // Alice closes the chat after sending; the customer's reply opens a new one, routed back to her.
    driver.findElement(By.id("end")).click();
    waitUp().until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversation-meta"), "Ended"));

    driver.switchTo().newWindow(WindowType.TAB);
    String phoneTab = driver.getWindowHandle();
    driver.get(phone.uri().toString());
    WebElement from = driver.findElement(By.id("phone-from"));
    from.clear();
    from.sendKeys(CUSTOMER);
    waitUp().until(ExpectedConditions.textToBePresentInElementLocated(By.id("phone-inbox"), "Your router ships today"));
    driver.findElement(By.id("phone-text")).sendKeys("Thanks Alice! Will it need a new password?");
    driver.findElement(By.id("phone-send")).click();
    shot("customer-phone.png");

    driver.switchTo().window(agentTab);
    waitUp().until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "Will it need a new password?"));
    WebElement whisper = waitUp().until(ExpectedConditions.visibilityOfElementLocated(By.id("whisper")));
    assertThat(whisper.getText()).contains("Your router ships today");
    String second = driver.getCurrentUrl().replaceAll(".*conversation=", "");
    assertThat(second).isNotEqualTo(first);
    driver.findElement(By.id("reply")).sendKeys("No, it keeps your settings.");
    driver.findElement(By.cssSelector("#reply-form button[type=submit]")).click();
    waitUp().until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "keeps your settings"));
    waitUp().until(d -> d.findElements(By.cssSelector("#transcript .tick.delivered")).size() >= 1);
    shot("console.png");
    if ("docs".equals(System.getProperty("console.screenshots"))) {
      Path docs = Path.of("..", "docs", "images");
      Files.createDirectories(docs);
      Files.copy(SHOTS.resolve("console.png"), docs.resolve("console.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    driver.switchTo().window(phoneTab);
    driver.findElement(By.id("phone-text")).sendKeys("STOP");
    driver.findElement(By.id("phone-send")).click();
    driver.switchTo().window(agentTab);
    waitUp().until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversation-meta"), "opted out"));
    assertThat(driver.findElement(By.id("conversation")).getAttribute("class")).contains("ended");
    assertThat(driver.findElement(By.id("reply")).isEnabled()).isFalse();
    List<WebElement> endedItems = driver.findElements(By.cssSelector("#mine li.ended"));
    assertThat(endedItems).anySatisfy(li -> assertThat(li.getText()).contains("opted out"));
    shot("console-opted-out.png");

    new Select(driver.findElement(By.id("presence"))).selectByValue("AWAY");
    waitUp().until(d -> f.conversations.presence("alice") == dev.smsgateway.routing.Presence.AWAY);
    new Select(driver.findElement(By.id("presence"))).selectByValue("AVAILABLE");
    waitUp().until(d -> f.conversations.presence("alice") == dev.smsgateway.routing.Presence.AVAILABLE);

    driver.manage().window().setSize(new Dimension(390, 844));
    Object overflow = ((JavascriptExecutor) driver).executeScript(
        "return document.documentElement.scrollWidth - window.innerWidth;");
    assertThat(((Number) overflow).intValue()).as("no sideways scrolling at phone width").isLessThanOrEqualTo(0);
    shot("console-phone-width.png");
    driver.manage().window().setSize(new Dimension(1280, 860));

    // Bob, in his own cookie jar (another host name for the same server), follows a link to Alice's conversation.
    driver.switchTo().newWindow(WindowType.TAB);
    driver.get("http://localhost:" + f.server.address().getPort() + "/#conversation=" + second);
    signIn(ConsoleFixture.BOB_TOKEN);
    waitUp().until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversation-title"), "not available"));
    // The refusal stays on screen: the page's own background reloads (the event stream opening) must not clear it.
    waitUp().until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "Live"));
    assertThat(driver.findElement(By.id("error")).getText()).contains("no conversation of yours");
    assertThat(driver.findElement(By.id("transcript")).getText()).doesNotContain("password");
  }
}
