package dev.smsgateway.spring;

import dev.smsgateway.micrometer.RoutingMetrics;
import dev.smsgateway.micrometer.SmsGatewayMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters through sms-micrometer when the application has a {@link MeterRegistry} bean: the gateway's
 * ({@link SmsGatewayMetrics}, a gateway listener) and the conversations' ({@link RoutingMetrics}, a conversation
 * listener). Both are picked up as listeners by the gateway and the ConversationService.
 */
@AutoConfiguration(before = {SmsGatewayAutoConfiguration.class, SmsRoutingAutoConfiguration.class}, afterName = {
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({SmsGatewayMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "sms", name = "enabled", havingValue = "true", matchIfMissing = true)
public class SmsMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  SmsGatewayMetrics smsGatewayMetrics(MeterRegistry registry) {
    return SmsGatewayMetrics.builder(registry).build();
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnClass(name = "dev.smsgateway.routing.ConversationListener")
  RoutingMetrics smsRoutingMetrics(MeterRegistry registry) {
    return new RoutingMetrics(registry, Tags.empty());
  }
}
