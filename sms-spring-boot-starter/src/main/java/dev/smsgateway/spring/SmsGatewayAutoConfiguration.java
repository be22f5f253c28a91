package dev.smsgateway.spring;

import dev.smsgateway.GatewayListener;
import dev.smsgateway.InboundHandler;
import dev.smsgateway.RetryPolicy;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import java.time.Clock;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@link SmsGateway} over the providers ({@link SmsGatewayProviders}), the stores, the
 * {@link ConversationService} (its inbound handler and listener, when routing is configured; otherwise an
 * {@link InboundHandler} bean if there is one) and every {@link GatewayListener} bean, with the gateway settings of
 * {@code sms.*}; and the {@link SmsGatewayLifecycle} that starts and closes it with the context. Every bean is
 * {@code @ConditionalOnMissingBean}: an application bean of the same type replaces it and the rest stays.
 */
@AutoConfiguration(after = {SmsStoreAutoConfiguration.class, SmsRoutingAutoConfiguration.class})
@ConditionalOnProperty(prefix = "sms", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SmsProperties.class)
public class SmsGatewayAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  SmsGatewayProviders smsGatewayProviders(SmsProperties properties, ObjectProvider<SmsProvider> providers) {
    return SmsGatewayProviders.create(properties, providers.orderedStream().toList());
  }

  @Bean
  @ConditionalOnMissingBean
  SmsProviderStates smsProviderStates(ObjectProvider<Clock> clock) {
    return new SmsProviderStates(SmsStoreAutoConfiguration.clock(clock));
  }

  @Bean
  @ConditionalOnMissingBean
  SmsGateway smsGateway(SmsProperties properties, SmsGatewayProviders providers, OptOutStore optOuts,
      MessageStore messages, ObjectProvider<ConversationService> conversations,
      ObjectProvider<InboundHandler> inboundHandlers, ObjectProvider<GatewayListener> listeners,
      ObjectProvider<Clock> clock, ObjectProvider<dev.smsgateway.routing.RoutingConfiguration> routing) {
    SmsGateway.Builder b = SmsGateway.builder().optOutStore(optOuts).messageStore(messages)
        .clock(SmsStoreAutoConfiguration.clock(clock));
    providers.providers().values().forEach(b::provider);
    ConversationService service = conversations.getIfUnique();
    if (service != null) {
      b.inboundHandler(service).listener(service.gatewayListener());
    } else {
      inboundHandlers.ifUnique(b::inboundHandler);
    }
    listeners.orderedStream().forEach(b::listener);
    // Business numbers with a sending rate of their own (sms.routing.mappings[].numbers[].parts-per-second) are paced
    // at that rate by the gateway, whatever provider sends for them.
    routing.ifAvailable(config -> {
      if (!config.partsPerSecondByNumber().isEmpty()) {
        b.originatorThrottles(dev.smsgateway.OriginatorThrottles.builder().numbers(config.partsPerSecondByNumber())
            .build());
      }
    });
    try {
      settings(properties, b);
      return b.build();
    } catch (SmsException | IllegalArgumentException e) {
      throw new SmsPropertyException(gatewayProperty(e.getMessage()), "is invalid: " + e.getMessage(), e);
    }
  }

  @Bean
  @ConditionalOnMissingBean
  SmsGatewayLifecycle smsGatewayLifecycle(SmsGateway gateway, ObjectProvider<ConversationService> conversations,
      SmsProperties properties) {
    return new SmsGatewayLifecycle(gateway, conversations.getIfUnique(), properties.getRouting().getSweepInterval());
  }

  private static void settings(SmsProperties p, SmsGateway.Builder b) {
    if (p.getDefaultRegion() != null && !p.getDefaultRegion().isBlank()) {
      b.defaultRegion(p.getDefaultRegion().strip());
    }
    if (p.getMaxParts() != null) {
      b.maxParts(p.getMaxParts());
    }
    if (p.getIdempotencyTtl() != null) {
      b.idempotencyTtl(p.getIdempotencyTtl());
    }
    SmsProperties.Retry r = p.getRetry();
    if (r.isSet()) {
      RetryPolicy d = RetryPolicy.defaults();
      b.retryPolicy(new RetryPolicy(
          r.getMaxAttempts() != null ? r.getMaxAttempts() : d.maxAttempts(),
          r.getInitialBackoff() != null ? r.getInitialBackoff() : d.initialBackoff(),
          r.getMaxBackoff() != null ? r.getMaxBackoff() : d.maxBackoff(),
          r.getRetryPossiblyDelivered() != null ? r.getRetryPossiblyDelivered() : d.retryPossiblyDelivered()));
    }
    for (Map.Entry<String, String> f : p.getFailover().entrySet()) {
      b.failover(f.getKey(), f.getValue());
    }
    for (Map.Entry<String, Double> t : p.getThrottle().entrySet()) {
      b.throttle(t.getKey(), t.getValue());
    }
  }

  /** The property a gateway builder message is about, from the words it starts with. */
  static String gatewayProperty(String message) {
    String m = message == null ? "" : message;
    if (m.startsWith("failover") || m.contains("fail over")) {
      return "sms.failover";
    }
    if (m.startsWith("throttle")) {
      return "sms.throttle";
    }
    if (m.startsWith("retryPolicy")) {
      return "sms.retry";
    }
    if (m.startsWith("maxParts")) {
      return "sms.max-parts";
    }
    if (m.startsWith("idempotencyTtl")) {
      return "sms.idempotency-ttl";
    }
    return "sms";
  }
}
