package dev.smsgateway.examples.baseline;

import java.lang.management.ManagementFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The start-up benchmark's baseline: a Spring Boot application with the same class path (web server, actuator) and
 * nothing of its own, the SMS auto-configuration switched off ({@code sms.enabled=false}). It prints its uptime when
 * ready and exits. In a package of its own, outside the example's component scan.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class EmptyBootApp {

  /** The line the start-up benchmark waits for. */
  public static final String READY = "EMPTY-APP-READY uptime-ms=";

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(EmptyBootApp.class);
    app.setDefaultProperties(java.util.Map.of("sms.enabled", "false"));
    app.addListeners((ApplicationReadyEvent e) -> {
      System.out.println(READY + ManagementFactory.getRuntimeMXBean().getUptime());
      ConfigurableApplicationContext context = e.getApplicationContext();
      System.exit(SpringApplication.exit(context, () -> 0));
    });
    app.run(args);
  }
}
