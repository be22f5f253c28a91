package dev.smsgateway.spring;

import dev.smsgateway.eum.SnsWebhookHandler;

/**
 * Adjusts the {@link SnsWebhookHandler} of an EUM provider before it is built: an {@code SnsAsyncClient} to confirm
 * subscriptions, trust anchors, a certificate fetcher, a clock. Applied after the {@code sms.providers.<name>.sns.*}
 * settings. Beans of this type are applied in order.
 */
@FunctionalInterface
public interface SnsWebhookCustomizer {

  /** Customizes the handler of provider {@code providerName}. */
  void customize(String providerName, SnsWebhookHandler.Builder builder);
}
