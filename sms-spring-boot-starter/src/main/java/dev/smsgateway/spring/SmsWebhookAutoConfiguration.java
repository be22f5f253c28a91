package dev.smsgateway.spring;

import dev.smsgateway.SmsException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.eum.EumSmsProvider;
import dev.smsgateway.eum.SnsWebhookHandler;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.twilio.TwilioSmsProvider;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * Mounts the providers' webhooks on the application's Spring MVC server: for each Twilio provider configured with
 * {@code twilio.public-base-url}, {@code <webhook-path>/twilio/**} (inbound {@code /twilio/inbound/<mapping>} and
 * {@code /twilio/status}); for each EUM provider with {@code sns.topic-arns}, its SNS endpoint at
 * {@code webhook-path} (default {@code /sns/<name>}). The handlers are the provider modules' own, so signature checks,
 * size caps, de-duplication and answers are exactly theirs. Two endpoints on one path are a start-up error.
 * {@code sms.webhooks.enabled=false} mounts nothing.
 */
@AutoConfiguration(after = SmsGatewayAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({HttpRequestHandler.class, SimpleUrlHandlerMapping.class, HttpServletRequest.class})
@ConditionalOnProperty(prefix = "sms", name = {"enabled", "webhooks.enabled"}, havingValue = "true",
    matchIfMissing = true)
@ConditionalOnBean(SmsGatewayProviders.class)
public class SmsWebhookAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SmsWebhookAutoConfiguration.class);

  /** Ahead of the application's controllers: these paths are the ones configured for the providers. */
  static final int ORDER = -100;

  @Bean
  @ConditionalOnMissingBean(name = "smsWebhookHandlerMapping")
  SimpleUrlHandlerMapping smsWebhookHandlerMapping(ObjectProvider<SmsWebhookEndpoints> endpoints) {
    Map<String, Object> urls = new LinkedHashMap<>();
    endpoints.orderedStream().forEach(e -> e.endpoints().forEach((pattern, handler) -> {
      if (urls.putIfAbsent(pattern, handler) != null) {
        throw new SmsPropertyException("sms.providers", "mount two webhooks on " + pattern
            + ": give one of them another webhook-path", null);
      }
      log.info("SMS webhook {} at {}", handler, pattern);
    }));
    return new SimpleUrlHandlerMapping(urls, ORDER);
  }

  /** Normalizes a configured path: leading slash, no trailing slash, {@code ""} for the root. */
  static String path(String configured, String fallback) {
    String p = configured == null || configured.isBlank() ? fallback : configured.strip();
    if (!p.startsWith("/")) {
      p = "/" + p;
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** Twilio: inbound messages and status callbacks. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(TwilioSmsProvider.class)
  static class Twilio {

    @Bean
    @ConditionalOnMissingBean(name = "smsTwilioWebhooks")
    SmsWebhookEndpoints smsTwilioWebhooks(SmsGatewayProviders providers, SmsProperties properties) {
      Map<String, HttpRequestHandler> endpoints = new LinkedHashMap<>();
      for (Map.Entry<String, SmsProvider> e : providers.providers().entrySet()) {
        if (!(e.getValue() instanceof TwilioSmsProvider twilio)) {
          continue;
        }
        ProviderProperties p = properties.getProviders().get(e.getKey());
        String base = p == null ? null : setting(p.getTwilio(), "publicBaseUrl");
        if (base == null || base.isBlank()) {
          log.info("Twilio provider {} has no twilio.public-base-url: its webhooks are not mounted", e.getKey());
          continue;
        }
        String mount = path(p.getWebhookPath(), "");
        String prefix = "sms.providers." + e.getKey();
        try {
          endpoints.put(mount + "/twilio/**", new TwilioServletWebhook(twilio.webhookHandler(), URI.create(base.strip()),
              mount));
        } catch (SmsException ex) {
          throw new SmsPropertyException(prefix + ".twilio.webhook-auth-token", "is needed to check Twilio's webhook "
              + "signatures: " + ex.getMessage(), ex);
        } catch (IllegalArgumentException ex) {
          throw new SmsPropertyException(prefix + ".twilio.public-base-url", "is not a URL", ex);
        }
      }
      return new SmsWebhookEndpoints(endpoints);
    }
  }

  /** AWS End User Messaging: SNS notifications. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(EumSmsProvider.class)
  static class Sns {

    @Bean
    @ConditionalOnMissingBean(name = "smsSnsWebhooks")
    SmsWebhookEndpoints smsSnsWebhooks(SmsGatewayProviders providers, SmsProperties properties,
        MessageStore messageStore, ObjectProvider<SnsWebhookCustomizer> customizers) {
      Map<String, HttpRequestHandler> endpoints = new LinkedHashMap<>();
      for (Map.Entry<String, SmsProvider> e : providers.providers().entrySet()) {
        if (!(e.getValue() instanceof EumSmsProvider eum)) {
          continue;
        }
        ProviderProperties p = properties.getProviders().get(e.getKey());
        if (p == null || p.getSns().getTopicArns().isEmpty()) {
          log.info("EUM provider {} has no sns.topic-arns: its SNS endpoint is not mounted", e.getKey());
          continue;
        }
        String prefix = "sms.providers." + e.getKey() + ".sns";
        ProviderProperties.Sns sns = p.getSns();
        SnsWebhookHandler.Builder b = SnsWebhookHandler.builder(eum).allowTopicArns(sns.getTopicArns())
            .messageStore(messageStore);
        int maxBody = SnsWebhookHandler.DEFAULT_MAX_BODY_BYTES;
        try {
          if (sns.getMaxBodyBytes() != null) {
            b.maxBodyBytes(sns.getMaxBodyBytes());
            maxBody = sns.getMaxBodyBytes();
          }
        } catch (IllegalArgumentException ex) {
          throw new SmsPropertyException(prefix + ".max-body-bytes", "must be at least 1024", ex);
        }
        try {
          if (sns.getMaxMessageAge() != null) {
            b.maxMessageAge(sns.getMaxMessageAge());
          }
        } catch (IllegalArgumentException ex) {
          throw new SmsPropertyException(prefix + ".max-message-age", "must be positive", ex);
        }
        if (sns.getShortCodeCountry() != null) {
          b.shortCodeCountry(sns.getShortCodeCountry());
        }
        customizers.orderedStream().forEach(c -> c.customize(e.getKey(), b));
        endpoints.put(path(p.getWebhookPath(), "/sns/" + e.getKey()), new SnsServletWebhook(b.build(), maxBody));
      }
      return new SmsWebhookEndpoints(endpoints);
    }
  }

  /** A provider setting by its library name, in whichever spelling it was bound. */
  static String setting(Map<String, String> settings, String name) {
    String canonical = SmsGatewayProviders.canonical(name);
    for (Map.Entry<String, String> s : settings.entrySet()) {
      if (SmsGatewayProviders.canonical(s.getKey()).equals(canonical)) {
        return s.getValue();
      }
    }
    return null;
  }
}
