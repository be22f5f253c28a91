package dev.smsgateway.spring;

import dev.smsgateway.routing.ContactFlowDelivery;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.KeywordClassifier;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import java.time.Clock;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The {@link RoutingConfiguration} from {@code sms.routing.*} and the {@link ConversationService} on the stores, with
 * every {@link ConversationListener} bean as a listener. The service is bound to the gateway and its sweeps scheduled
 * by {@link SmsGatewayLifecycle} when the context starts. Without routing settings (and without a
 * {@code RoutingConfiguration} bean) there is no service and inbound messages reach only {@code GatewayListener}s.
 */
@AutoConfiguration(after = SmsStoreAutoConfiguration.class)
@ConditionalOnClass(ConversationService.class)
@ConditionalOnProperty(prefix = "sms", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SmsProperties.class)
public class SmsRoutingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @Conditional(RoutingConfigured.class)
  RoutingConfiguration smsRoutingConfiguration(SmsProperties properties) {
    return RoutingConfigurations.from(properties.getRouting());
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(RoutingConfiguration.class)
  ConversationService smsConversationService(RoutingConfiguration configuration, OriginatorStore originators,
      OptOutStore optOuts, ConversationStore conversations, ObjectProvider<Clock> clock,
      ObjectProvider<ContactFlowDelivery> contactFlows, ObjectProvider<KeywordClassifier> keywords,
      ObjectProvider<ConversationListener> listeners) {
    ConversationService.Builder b = ConversationService.builder().configuration(configuration)
        .originatorStore(originators).optOutStore(optOuts).conversationStore(conversations)
        .clock(SmsStoreAutoConfiguration.clock(clock));
    contactFlows.ifUnique(b::contactFlowDelivery);
    keywords.ifUnique(b::keywordClassifier);
    listeners.orderedStream().forEach(b::listener);
    return b.build();
  }

  /** Matches when {@code sms.routing.config} or at least one {@code sms.routing.mappings} entry is set. */
  static final class RoutingConfigured extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Binder binder = Binder.get(context.getEnvironment());
      boolean file = binder.bind("sms.routing.config", String.class).isBound();
      boolean mappings = binder.bind("sms.routing.mappings", Bindable.listOf(Map.class)).map(l -> !l.isEmpty())
          .orElse(false);
      return file || mappings ? ConditionOutcome.match("sms.routing is configured")
          : ConditionOutcome.noMatch("neither sms.routing.config nor sms.routing.mappings is set");
    }
  }
}
