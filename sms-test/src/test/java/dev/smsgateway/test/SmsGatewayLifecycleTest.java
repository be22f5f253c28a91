package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.ProviderCapabilities;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import dev.smsgateway.GatewayListener;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.test.RecordingSmsProvider.Outcome;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The gateway's lifecycle: what happens before start(), at build() and around close(). */
class SmsGatewayLifecycleTest {

  static final String CUSTOMER = "+14155550100";

  final RecordingSmsProvider primary = RecordingSmsProvider.named("primary");
  SmsGateway gateway;

  @AfterEach
  void tearDown() {
    if (gateway != null) {
      gateway.close();
    }
  }

  static OutboundSms sms(String text) {
    return OutboundSms.builder().to(CUSTOMER).body(text).build();
  }

  static SmsException failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    Throwable e = f.handle((r, x) -> x).join();
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    assertThat(e).isInstanceOf(SmsException.class);
    return (SmsException) e;
  }

  @Nested
  @DisplayName("before start()")
  class BeforeStart {

    @Test
    @DisplayName("a send fails at once with a configuration error and a WARN line; nothing reaches the provider")
    void sendFailsAtOnce() {
      gateway = SmsGateway.builder().provider(primary).build();
      Logger logger = (Logger) LoggerFactory.getLogger(SmsGateway.class);
      ListAppender<ILoggingEvent> appender = new ListAppender<>();
      appender.start();
      logger.addAppender(appender);
      try {
        CompletableFuture<SendReceipt> f = gateway.send(sms("Hi"));
        assertThat(failure(f)).isInstanceOf(SmsConfigurationException.class)
            .hasMessageContaining("not started").hasMessageContaining("start()");
      } finally {
        logger.detachAppender(appender);
      }
      assertThat(primary.submitted()).isEmpty();
      assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN)
          .singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).contains("not started"));
      gateway.start();
      assertThat(gateway.send(sms("Hi"))).succeedsWithin(java.time.Duration.ofSeconds(5));
    }
  }

  @Nested
  @DisplayName("settings checked at build()")
  class Settings {

    @Test
    @DisplayName("defaultRegion(\"USA\") fails naming the setting and the alpha-2 code it means")
    void alpha3Region() {
      assertThatThrownBy(() -> SmsGateway.builder().provider(primary).defaultRegion("USA").build())
          .isInstanceOfSatisfying(SmsValidationException.class,
              e -> assertThat(e.field()).isEqualTo("defaultRegion"))
          .hasMessageContaining("'USA'").hasMessageContaining("did you mean 'US'");
    }

    @Test
    @DisplayName("an unknown region fails naming the setting; a lower-case known one is accepted")
    void unknownRegion() {
      assertThatThrownBy(() -> SmsGateway.builder().provider(primary).defaultRegion("XX").build())
          .isInstanceOfSatisfying(SmsValidationException.class,
              e -> assertThat(e.field()).isEqualTo("defaultRegion"))
          .hasMessageContaining("'XX'").hasMessageNotContaining("did you mean");
      assertThatThrownBy(() -> SmsGateway.builder().provider(primary).defaultRegion("").build())
          .isInstanceOf(SmsValidationException.class);
      gateway = SmsGateway.builder().provider(primary).defaultRegion("gb").build();
      assertThat(gateway.normalize("020 7946 0958").e164()).isEqualTo("+442079460958");
    }

    @Test
    @DisplayName("a provider without a name is refused when it is added")
    void namelessProvider() {
      SmsProvider nameless = new SmsProvider() {
        @Override
        public String name() {
          return null;
        }

        @Override
        public ProviderCapabilities capabilities() {
          return primary.capabilities();
        }

        @Override
        public void start(ProviderListener listener) {}

        @Override
        public CompletableFuture<SendReceipt> send(SubmitRequest request) {
          return new CompletableFuture<>();
        }

        @Override
        public void close() {}
      };
      assertThatThrownBy(() -> SmsGateway.builder().provider(nameless).build())
          .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("has no name");
    }
  }

  @Nested
  @DisplayName("close() and the end of the program")
  class Closing {

    final List<String> failed = new CopyOnWriteArrayList<>();
    final List<SendReceipt> sent = new CopyOnWriteArrayList<>();

    SmsGateway started(SmsGateway.Builder b) {
      gateway = b.provider(primary).listener(new GatewayListener() {
        @Override
        public void onSent(SendReceipt receipt) {
          sent.add(receipt);
        }

        @Override
        public void onFailed(String messageId, SmsException error) {
          failed.add(messageId);
        }
      }).build();
      gateway.start();
      return gateway;
    }

    Thread closeInBackground() throws InterruptedException {
      Thread closer = new Thread(gateway::close, "closer");
      closer.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (closer.getState() != Thread.State.TIMED_WAITING && closer.isAlive() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      return closer;
    }

    @Test
    @DisplayName("close() waits for a send in progress: the provider's answer still arrives and the message is sent")
    void drains() throws Exception {
      started(SmsGateway.builder());
      primary.enqueue(Outcome.pending());
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi"));
      Thread closer = closeInBackground();
      assertThat(closer.isAlive()).as("close() waits for the pending send").isTrue();
      assertThat(failure(gateway.send(sms("too late")))).isInstanceOf(SmsTransportException.class)
          .hasMessageContaining("closed");
      assertThat(primary.isClosed()).isFalse();
      assertThat(primary.releasePending()).isTrue();
      closer.join(5_000);
      assertThat(closer.isAlive()).isFalse();
      assertThat(f).isCompleted();
      assertThat(sent).hasSize(1);
      assertThat(failed).isEmpty();
      assertThat(primary.isClosed()).isTrue();
    }

    @Test
    @DisplayName("closeTimeout bounds the wait: a send still pending then fails with a transport error and onFailed")
    void boundedWait() {
      started(SmsGateway.builder().closeTimeout(Duration.ofMillis(200)));
      primary.enqueue(Outcome.pending());
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi"));
      long before = System.nanoTime();
      gateway.close();
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
      assertThat(failure(f)).isInstanceOf(SmsTransportException.class);
      assertThat(failed).hasSize(1);
    }

    @Test
    @DisplayName("closeTimeout(0) fails pending sends at once; a negative one is refused naming the setting")
    void noWait() {
      assertThatThrownBy(() -> SmsGateway.builder().closeTimeout(Duration.ofSeconds(-1)))
          .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field()).isEqualTo("closeTimeout"));
      started(SmsGateway.builder().closeTimeout(Duration.ZERO));
      primary.enqueue(Outcome.pending());
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi"));
      gateway.close();
      assertThat(failure(f)).isInstanceOf(SmsTransportException.class);
    }

    @Test
    @DisplayName("close() called from a listener while its own send is being announced does not wait for itself")
    void closeFromListener() throws Exception {
      gateway = SmsGateway.builder().provider(primary).listener(new GatewayListener() {
        @Override
        public void onSent(SendReceipt receipt) {
          gateway.close();
        }
      }).build();
      gateway.start();
      long before = System.nanoTime();
      assertThat(gateway.send(sms("Hi"))).succeedsWithin(Duration.ofSeconds(5));
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
      assertThat(primary.isClosed()).isTrue();
    }

    @Test
    @DisplayName("a program that sends and returns from main without close() still gets its message out")
    void mainReturns() throws Exception {
      String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
      Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          SendAndReturn.class.getName()).redirectErrorStream(true).start();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(out).contains("main returned").contains("onSent ");
      assertThat(out.indexOf("onSent ")).isGreaterThan(out.indexOf("main returned"));
      assertThat(child.exitValue()).isZero();
    }

    @Test
    @DisplayName("the non-daemon thread lives only while a send is in progress")
    void keeperOnlyWhilePending() throws Exception {
      started(SmsGateway.builder());
      assertThat(keepers()).isZero();
      primary.enqueue(Outcome.pending());
      CompletableFuture<SendReceipt> f = gateway.send(sms("Hi"));
      assertThat(keepers()).isEqualTo(1);
      primary.releasePending();
      assertThat(f).isCompleted();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (keepers() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(keepers()).isZero();
    }

    long keepers() {
      return Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("sms-gateway-pending-sends") && t.isAlive() && !t.isDaemon()).count();
    }
  }

  /** A program that sends one message through a provider answering 500 ms later, then returns from main. */
  public static final class SendAndReturn {
    public static void main(String[] args) {
      ScheduledExecutorService daemon = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "provider-io");
        t.setDaemon(true);
        return t;
      });
      RecordingSmsProvider slow = RecordingSmsProvider.builder().name("slow")
          .latency(Duration.ofMillis(500), daemon).build();
      SmsGateway gateway = SmsGateway.builder().provider(slow).listener(new GatewayListener() {
        @Override
        public void onSent(SendReceipt receipt) {
          System.out.println("onSent " + receipt.providerMessageIds());
        }
      }).build();
      gateway.start();
      gateway.send(sms("Your table is ready"));
      System.out.println("main returned");
    }
  }
}
