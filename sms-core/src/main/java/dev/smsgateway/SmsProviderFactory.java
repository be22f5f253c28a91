package dev.smsgateway;

import java.util.Set;
import java.util.function.Function;

/**
 * Creates providers by name through {@link java.util.ServiceLoader}; see {@link SmsProviders#create}. Each provider
 * module registers one factory in {@code META-INF/services/dev.smsgateway.SmsProviderFactory}.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface SmsProviderFactory {

  /** The type name users ask for, such as {@code smpp}, {@code twilio} or {@code eum}. Lower case, unique. */
  String type();

  /**
   * Creates a provider from settings.
   *
   * @param name the provider instance name
   * @param settings looks up a setting by its key ({@code <type>.<camelCase>}, for example {@code twilio.accountSid});
   *     returns null for a setting that is not present
   * @throws SmsConfigurationException naming the missing or invalid setting
   */
  SmsProvider create(String name, Function<String, String> settings);

  /**
   * Every setting key this factory reads (each {@code <type>.<camelCase>}). {@link SmsProviders#create(String, String,
   * java.util.Map)} refuses a key under {@code <type>.} that is not one of these, suggesting the nearest, so a typo
   * such as {@code smpp.bindz} is an error instead of a setting silently ignored. Empty (the default) turns that check
   * off.
   */
  default Set<String> settingKeys() {
    return Set.of();
  }
}
