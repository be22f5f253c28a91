package dev.smsgateway.examples.spring;

import dev.smsgateway.OutboundSms;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile {@code simulator}: the SMSC simulator as a bean (closed with the context), and a first send when the
 * application is ready, so that one run shows a message leaving through the auto-configured gateway. With
 * {@code example.exit-after-first-send=true} (the start-up benchmark) the application prints when that first send
 * was accepted by the SMSC and exits.
 */
@Configuration(proxyBeanMethods = false)
@Profile("simulator")
class SimulatorProfile {

  private static final Logger log = LoggerFactory.getLogger(SimulatorProfile.class);

  /** The line the start-up benchmark waits for. */
  static final String FIRST_SEND = "FIRST-SEND-ACCEPTED uptime-ms=";

  @Bean(destroyMethod = "close")
  SmscSimulator smscSimulator() {
    return SimulatorEnvironment.simulator;
  }

  @Bean
  ApplicationRunner firstSend(SmsGateway gateway, SmscSimulator smsc, ApplicationContext context,
      @Value("${example.exit-after-first-send:false}") boolean exit) {
    return args -> {
      if (!smsc.awaitBound(1, Duration.ofSeconds(30))) {
        throw new IllegalStateException("the SMPP provider did not bind to the simulator in 30 s");
      }
      var receipt = gateway.send(OutboundSms.builder().to("+14155550123").body("Hello from Spring Boot")
          .build()).get(30, TimeUnit.SECONDS);
      long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
      log.info("first message {} accepted by the simulator ({} part(s))", receipt.messageId(), receipt.parts());
      if (exit) {
        System.out.println(FIRST_SEND + uptime);
        System.exit(SpringApplication.exit(context, () -> 0));
      }
    };
  }
}
