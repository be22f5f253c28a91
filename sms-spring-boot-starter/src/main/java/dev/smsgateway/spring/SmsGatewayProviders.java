package dev.smsgateway.spring;

import dev.smsgateway.SmsException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsProviders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.DisposableBean;

/**
 * The providers the auto-configured {@link dev.smsgateway.SmsGateway} sends through, in order (the first is the
 * primary): the application's own {@link SmsProvider} beans, then one per {@code sms.providers.<name>} entry whose
 * name no bean took, created by type through {@link SmsProviders} (the provider module's factory, so its checks and
 * defaults apply unchanged).
 *
 * <p>Settings the provider type's factory did not read are errors naming the property: a misspelt
 * {@code smpp.sytem-id} cannot pass for an absent optional setting (nor can a setting the other settings make
 * meaningless, such as {@code twilio.default-region} without {@code twilio.from}). The factory's messages name settings as {@code smpp.systemId}; they
 * are rewritten to the property ({@code sms.providers.smsc.smpp.system-id}).
 *
 * <p>Closes the providers it created when the context closes (the gateway closes them first in a normal shutdown;
 * closing is idempotent), so that a start-up failure after they were built leaks no thread or socket.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class SmsGatewayProviders implements DisposableBean {

  private static final Pattern SETTING = Pattern.compile("\\b(smpp|twilio|eum)\\.([A-Za-z][A-Za-z0-9]*)");

  private final Map<String, SmsProvider> providers;
  private final Map<String, String> types;
  private final List<SmsProvider> created;

  private SmsGatewayProviders(Map<String, SmsProvider> providers, Map<String, String> types,
      List<SmsProvider> created) {
    this.providers = Collections.unmodifiableMap(providers);
    this.types = Collections.unmodifiableMap(types);
    this.created = List.copyOf(created);
  }

  /**
   * The application's providers, then those configured in {@code properties} under names no application provider
   * has.
   *
   * @throws SmsPropertyException naming the property when a provider's settings are wrong
   */
  public static SmsGatewayProviders create(SmsProperties properties, List<SmsProvider> applicationProviders) {
    Map<String, SmsProvider> all = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    List<SmsProvider> created = new ArrayList<>();
    for (SmsProvider p : applicationProviders) {
      all.put(p.name(), p);
      types.put(p.name(), "bean");
    }
    try {
      for (Map.Entry<String, ProviderProperties> e : properties.getProviders().entrySet()) {
        if (all.containsKey(e.getKey())) {
          continue;
        }
        SmsProvider provider = create(e.getKey(), e.getValue());
        created.add(provider);
        all.put(e.getKey(), provider);
        types.put(e.getKey(), e.getValue().getType().strip().toLowerCase(Locale.ROOT));
      }
    } catch (RuntimeException e) {
      created.forEach(SmsGatewayProviders::closeQuietly);
      throw e;
    }
    if (all.isEmpty()) {
      throw new SmsPropertyException("sms.providers", "is empty: configure at least one provider (sms.providers.<name>"
          + ".type: smpp, twilio or eum) or define an SmsProvider bean; available types: " + SmsProviders.types(),
          null);
    }
    return new SmsGatewayProviders(all, types, created);
  }

  static SmsProvider create(String name, ProviderProperties p) {
    String prefix = "sms.providers." + name;
    if (p.getType() == null || p.getType().isBlank()) {
      throw new SmsPropertyException(prefix + ".type", "is required: one of " + SmsProviders.types()
          + " (the provider modules on the class path)", null);
    }
    String type = p.getType().strip().toLowerCase(Locale.ROOT);
    Map<String, Map<String, String>> groups = p.groups();
    for (Map.Entry<String, Map<String, String>> g : groups.entrySet()) {
      if (!g.getKey().equals(type) && !g.getValue().isEmpty()) {
        String first = g.getValue().keySet().iterator().next();
        throw new SmsPropertyException(prefix + "." + g.getKey() + "." + first, "is a " + g.getKey()
            + " setting, but " + prefix + ".type is " + type, null);
      }
    }
    Map<String, String> own = groups.getOrDefault(type, Map.of());
    Map<String, String> byCanonical = new LinkedHashMap<>();
    for (Map.Entry<String, String> s : own.entrySet()) {
      byCanonical.put(canonical(s.getKey()), s.getValue());
    }
    Map<String, String> asked = new LinkedHashMap<>();
    SmsProvider provider;
    try {
      provider = SmsProviders.create(type, name, key -> {
        int dot = key.indexOf('.');
        if (dot < 0 || !key.substring(0, dot).equals(type)) {
          return null;
        }
        String canonical = canonical(key.substring(dot + 1));
        asked.putIfAbsent(canonical, key.substring(dot + 1));
        return byCanonical.get(canonical);
      });
    } catch (SmsException | IllegalArgumentException | IllegalStateException e) {
      throw translate(name, type, e);
    }
    for (String key : own.keySet()) {
      if (!asked.containsKey(canonical(key))) {
        closeQuietly(provider);
        Set<String> known = new TreeSet<>();
        asked.values().forEach(k -> known.add(RoutingConfigurations.kebab(k)));
        throw new SmsPropertyException(prefix + "." + type + "." + key, "is not a setting of provider type " + type
            + ", or has no effect with the other settings (it read: " + String.join(", ", known) + ")", null);
      }
    }
    return provider;
  }

  private static SmsPropertyException translate(String name, String type, RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Matcher m = SETTING.matcher(message);
    String property = null;
    StringBuilder rewritten = new StringBuilder();
    while (m.find()) {
      String full = "sms.providers." + name + "." + m.group(1) + "." + RoutingConfigurations.kebab(m.group(2));
      if (property == null) {
        property = full;
      }
      m.appendReplacement(rewritten, Matcher.quoteReplacement(full));
    }
    m.appendTail(rewritten);
    if (message.startsWith("unknown provider type") || message.contains("claimed by")) {
      property = "sms.providers." + name + ".type";
    }
    if (property == null) {
      property = "sms.providers." + name;
    }
    String text = rewritten.toString();
    if (text.startsWith(property + " ")) {
      return new SmsPropertyException(property, text.substring(property.length() + 1), e);
    }
    return new SmsPropertyException(property, "is invalid: " + text, e);
  }

  /** {@code system-id}, {@code systemId}, {@code system_id} and {@code systemid} (environment) are one setting. */
  static String canonical(String key) {
    return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }

  /** The providers by name, the primary first. */
  public Map<String, SmsProvider> providers() {
    return providers;
  }

  /** One provider by name. */
  public Optional<SmsProvider> provider(String name) {
    return Optional.ofNullable(providers.get(name));
  }

  /** The type a provider was configured with ({@code smpp}, {@code twilio}, {@code eum}), or {@code bean}. */
  public String type(String name) {
    return types.get(name);
  }

  @Override
  public void destroy() {
    created.forEach(SmsGatewayProviders::closeQuietly);
  }

  private static void closeQuietly(SmsProvider provider) {
    try {
      provider.close();
    } catch (RuntimeException ignored) {
      // closing is best effort here: the gateway closed it already in a normal shutdown
    }
  }

  @Override
  public String toString() {
    return "SmsGatewayProviders" + types;
  }
}
