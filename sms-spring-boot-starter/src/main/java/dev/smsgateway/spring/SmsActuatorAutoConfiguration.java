package dev.smsgateway.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Actuator (Spring Boot 3.x): {@code /actuator/health/sms/<provider>} per provider ({@link SmsHealthIndicator}; off
 * with {@code management.health.sms.enabled=false}) and {@code sms} in {@code /actuator/info}
 * ({@link SmsInfoContributor}; off with {@code management.info.sms.enabled=false}).
 */
@AutoConfiguration(after = SmsGatewayAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(SmsGatewayProviders.class)
public class SmsActuatorAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "smsHealthContributor")
  @ConditionalOnEnabledHealthIndicator("sms")
  HealthContributor smsHealthContributor(SmsGatewayProviders providers, SmsProviderStates states) {
    Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
    providers.providers().keySet().forEach(name -> indicators.put(name,
        new SmsHealthIndicator(name, providers.type(name), states)));
    return CompositeHealthContributor.fromMap(indicators);
  }

  @Bean
  @ConditionalOnMissingBean(name = "smsInfoContributor")
  @ConditionalOnEnabledInfoContributor("sms")
  InfoContributor smsInfoContributor(SmsGatewayProviders providers) {
    return new SmsInfoContributor(providers);
  }
}
