package dev.smsgateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Looks up {@link SmsProviderFactory} implementations by type name through {@link ServiceLoader}. Always by name:
 * an unknown type, or two factories claiming one type, is an error that lists what was found (we never pick "the
 * first one", because applications embed this library next to others).
 *
 * <p>Thread-safe (stateless).
 */
public final class SmsProviders {

  private SmsProviders() {}

  /**
   * Creates a provider of {@code type} named {@code type}.
   *
   * @throws SmsConfigurationException if the type is unknown or ambiguous, or a setting is wrong
   */
  public static SmsProvider create(String type, Function<String, String> settings) {
    return create(type, type, settings);
  }

  /**
   * Creates a provider of {@code type} named {@code name}.
   *
   * @throws SmsConfigurationException if the type is unknown or ambiguous, or a setting is wrong
   */
  public static SmsProvider create(String type, String name, Function<String, String> settings) {
    Objects.requireNonNull(settings, "settings == null");
    if (type == null || type.isBlank()) {
      throw new SmsValidationException("type", "is blank; available provider types: " + available(classLoader()).keySet());
    }
    if (name == null || name.isBlank()) {
      throw new SmsValidationException("name", "is blank");
    }
    return factory(type, classLoader()).create(name, settings);
  }

  /** The provider types found on the class path, sorted. */
  public static List<String> types() {
    return new ArrayList<>(available(classLoader()).keySet());
  }

  static SmsProviderFactory factory(String type, ClassLoader loader) {
    Map<String, List<SmsProviderFactory>> found = available(loader);
    List<SmsProviderFactory> matches = found.get(type);
    if (matches == null) {
      throw new SmsConfigurationException("unknown provider type '" + type + "'; found on the class path: "
          + found.keySet() + " (add the sms-" + type + " module to use it)");
    }
    if (matches.size() > 1) {
      List<String> classes = matches.stream().map(f -> f.getClass().getName()).toList();
      throw new SmsConfigurationException("provider type '" + type + "' is claimed by " + matches.size()
          + " factories: " + classes + "; remove all but one from the class path");
    }
    return matches.get(0);
  }

  private static Map<String, List<SmsProviderFactory>> available(ClassLoader loader) {
    Map<String, List<SmsProviderFactory>> byType = new TreeMap<>();
    for (SmsProviderFactory factory : ServiceLoader.load(SmsProviderFactory.class, loader)) {
      byType.computeIfAbsent(factory.type(), k -> new ArrayList<>()).add(factory);
    }
    return byType;
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : SmsProviders.class.getClassLoader();
  }
}
