package dev.smsgateway.examples.spring;

import dev.smsgateway.test.smsc.SmscSimulator;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Profile {@code simulator}: starts the embedded SMSC simulator (sms-test) on 127.0.0.1 with an ephemeral port before
 * the context is built, and points {@code sms.providers.smsc.smpp.*} at it, so the application runs with no account
 * and no network. {@link SimulatorProfile} closes the simulator with the context.
 *
 * <p>Runs once per application start, on the main thread.
 */
public final class SimulatorEnvironment implements EnvironmentPostProcessor {

  static volatile SmscSimulator simulator;

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (!Arrays.asList(environment.getActiveProfiles()).contains("simulator") || simulator != null) {
      return;
    }
    SmscSimulator smsc = SmscSimulator.builder().credentials("example", "exSim7pw").autoDeliveryReceipts(true).build()
        .start();
    simulator = smsc;
    environment.getPropertySources().addFirst(new MapPropertySource("smsc-simulator", Map.of(
        "sms.providers.smsc.smpp.host", smsc.host(),
        "sms.providers.smsc.smpp.port", Integer.toString(smsc.port()),
        "sms.providers.smsc.smpp.system-id", smsc.systemId(),
        "sms.providers.smsc.smpp.password", smsc.password())));
  }
}
