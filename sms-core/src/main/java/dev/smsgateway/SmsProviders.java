package dev.smsgateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Looks up {@link SmsProviderFactory} implementations by type name through {@link ServiceLoader}. Always by name:
 * an unknown type, or two factories claiming one type, is an error that lists what was found (we never pick "the
 * first one", because applications embed this library next to others). The type is matched ignoring case
 * ({@code SMPP} finds {@code smpp}); a type that is not found is an error that suggests the nearest type found, or
 * names the module to add when it is one of this project's provider modules.
 *
 * <p>Prefer the overloads taking a {@link Map} or {@link Properties}: they see every key they were given, so a key
 * under the provider's prefix that its factory does not know ({@code smpp.bindz}) is an error listing the known keys
 * and suggesting the nearest. A {@link Function} can only be asked for the keys the factory knows, and cannot tell.
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
    Objects.requireNonNull(settings, "settings == null");
    return create(type, factory(checkType(type), classLoader()).type(), settings);
  }

  /**
   * Creates a provider of {@code type} named as its type (lower case), from every setting in {@code settings}.
   *
   * @throws SmsConfigurationException if the type is unknown or ambiguous, a key under {@code <type>.} is not one the
   *     provider knows (the message lists them and suggests the nearest), or a setting is wrong
   */
  public static SmsProvider create(String type, Map<String, String> settings) {
    Objects.requireNonNull(settings, "settings == null");
    return create(type, factory(checkType(type), classLoader()).type(), settings);
  }

  /**
   * Creates a provider of {@code type} named {@code name}, from every setting in {@code settings}; keys under other
   * prefixes are ignored, so one map may hold several providers' settings.
   *
   * @throws SmsConfigurationException if the type is unknown or ambiguous, a key under {@code <type>.} is not one the
   *     provider knows (the message lists them and suggests the nearest), or a setting is wrong
   */
  public static SmsProvider create(String type, String name, Map<String, String> settings) {
    Objects.requireNonNull(settings, "settings == null");
    checkName(name);
    SmsProviderFactory factory = factory(checkType(type), classLoader());
    checkKeys(factory, name, settings.keySet());
    Map<String, String> copy = new LinkedHashMap<>(settings);
    return factory.create(name, copy::get);
  }

  /** {@link #create(String, Map)} with the string entries of {@code settings} (defaults included). */
  public static SmsProvider create(String type, Properties settings) {
    Objects.requireNonNull(settings, "settings == null");
    return create(type, factory(checkType(type), classLoader()).type(), settings);
  }

  /** {@link #create(String, String, Map)} with the string entries of {@code settings} (defaults included). */
  public static SmsProvider create(String type, String name, Properties settings) {
    Objects.requireNonNull(settings, "settings == null");
    Map<String, String> map = new LinkedHashMap<>();
    for (String key : settings.stringPropertyNames()) {
      map.put(key, settings.getProperty(key));
    }
    return create(type, name, map);
  }

  /**
   * Creates a provider of {@code type} named {@code name}.
   *
   * @throws SmsConfigurationException if the type is unknown or ambiguous, or a setting is wrong
   */
  public static SmsProvider create(String type, String name, Function<String, String> settings) {
    Objects.requireNonNull(settings, "settings == null");
    checkName(name);
    return factory(checkType(type), classLoader()).create(name, settings);
  }

  private static String checkType(String type) {
    if (type == null || type.isBlank()) {
      throw new SmsValidationException("type", "is blank; available provider types: " + available(classLoader()).keySet());
    }
    return type.strip();
  }

  private static void checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new SmsValidationException("name", "is blank");
    }
  }

  /** Refuses keys under the factory's prefix (matched ignoring case) that the factory does not read. */
  static void checkKeys(SmsProviderFactory factory, String name, Collection<String> keys) {
    Set<String> known = factory.settingKeys();
    if (known.isEmpty()) {
      return;
    }
    String prefix = factory.type().toLowerCase(Locale.ROOT) + ".";
    List<String> problems = new ArrayList<>();
    for (String key : new TreeSet<>(keys)) {
      if (key != null && key.toLowerCase(Locale.ROOT).startsWith(prefix) && !known.contains(key)) {
        String nearest = nearest(key, known, Math.max(2, key.length() / 4));
        problems.add(nearest == null ? key : key + " (did you mean " + nearest + "?)");
      }
    }
    if (!problems.isEmpty()) {
      throw new SmsConfigurationException("provider " + name + ": unknown setting" + (problems.size() > 1 ? "s " : " ")
          + String.join(", ", problems) + "; the " + factory.type() + " settings are " + new TreeSet<>(known));
    }
  }

  /** The candidate nearest to {@code word} (case-insensitive edit distance at most {@code max}), or null. */
  static String nearest(String word, Collection<String> candidates, int max) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : new TreeSet<>(candidates)) {
      int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return bestDistance <= max ? best : null;
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions cost 1. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** The provider types found on the class path, sorted. */
  public static List<String> types() {
    return new ArrayList<>(available(classLoader()).keySet());
  }

  /** This project's provider modules by type, to say which module to add for a type that is not on the class path. */
  private static final Map<String, String> MODULES = Map.of("smpp", "sms-smpp", "twilio", "sms-twilio", "eum",
      "sms-eum");

  static SmsProviderFactory factory(String type, ClassLoader loader) {
    Map<String, List<SmsProviderFactory>> found = available(loader);
    List<SmsProviderFactory> matches = found.get(type);
    if (matches == null) {
      List<String> sameIgnoringCase = found.keySet().stream().filter(t -> t.equalsIgnoreCase(type)).toList();
      if (sameIgnoringCase.size() == 1) {
        matches = found.get(sameIgnoringCase.get(0));
      }
    }
    if (matches == null) {
      String lower = type.toLowerCase(Locale.ROOT);
      String hint;
      if (MODULES.containsKey(lower)) {
        hint = " (add the " + MODULES.get(lower) + " module to use it)";
      } else {
        Set<String> candidates = new TreeSet<>(found.keySet());
        candidates.addAll(MODULES.keySet());
        String nearest = nearest(type, candidates, 2);
        hint = nearest == null ? ""
            : found.containsKey(nearest) ? " (did you mean '" + nearest + "'?)"
            : " (did you mean '" + nearest + "'? add the " + MODULES.get(nearest) + " module to use it)";
      }
      throw new SmsConfigurationException("unknown provider type '" + type + "'; found on the class path: "
          + found.keySet() + hint);
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
