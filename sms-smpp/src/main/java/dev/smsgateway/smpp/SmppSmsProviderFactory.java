package dev.smsgateway.smpp;

import dev.smsgateway.Originator;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsProviderFactory;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Creates {@link SmppSmsProvider}s by the type name {@code smpp} through {@link java.util.ServiceLoader}.
 *
 * <p>Settings (durations as ISO-8601 {@code PT30S} or {@code 500ms}, {@code 30s}, {@code 5m}): {@code smpp.host}
 * (required), {@code smpp.port}, {@code smpp.systemId} (required), {@code smpp.password}, {@code smpp.systemType},
 * {@code smpp.addressRange}, {@code smpp.serviceType}, {@code smpp.bindMode} ({@code transceiver} or
 * {@code transmitterReceiver}), {@code smpp.binds}, {@code smpp.window}, {@code smpp.partsPerSecond},
 * {@code smpp.enquireLinkInterval}, {@code smpp.responseTimeout}, {@code smpp.bindTimeout},
 * {@code smpp.initialBackoff}, {@code smpp.maxBackoff}, {@code smpp.queueCapacity}, {@code smpp.queueTimeout},
 * {@code smpp.longMessages} ({@code udh8}, {@code udh16}, {@code sar}, {@code payload}), {@code smpp.latin1},
 * {@code smpp.defaultOriginator}, {@code smpp.defaultRegion}, {@code smpp.messageIdTag} (decimal or {@code 0x1501}).
 *
 * <p>Stateless and thread-safe.
 */
public final class SmppSmsProviderFactory implements SmsProviderFactory {

  /** Every key {@link #create} reads. */
  static final Set<String> KEYS = Set.of(
      "smpp.addressRange", "smpp.bindMode", "smpp.bindTimeout", "smpp.binds", "smpp.defaultOriginator",
      "smpp.defaultRegion", "smpp.enquireLinkInterval", "smpp.host", "smpp.initialBackoff", "smpp.latin1",
      "smpp.longMessages", "smpp.maxBackoff", "smpp.messageIdTag", "smpp.partsPerSecond", "smpp.password",
      "smpp.port", "smpp.queueCapacity", "smpp.queueTimeout", "smpp.responseTimeout", "smpp.serviceType",
      "smpp.systemId", "smpp.systemType", "smpp.window");

  /** Used by {@link java.util.ServiceLoader}. */
  public SmppSmsProviderFactory() {}

  @Override
  public String type() {
    return "smpp";
  }

  @Override
  public Set<String> settingKeys() {
    return KEYS;
  }

  @Override
  public SmsProvider create(String name, Function<String, String> settings) {
    SmppSmsProvider.Builder b = SmppSmsProvider.builder().name(name);
    String host = settings.apply("smpp.host");
    if (host == null || host.isBlank()) {
      throw new SmsConfigurationException("smpp.host is required (the SMSC host name)");
    }
    b.host(host.strip());
    String systemId = settings.apply("smpp.systemId");
    if (systemId == null || systemId.isBlank()) {
      throw new SmsConfigurationException("smpp.systemId is required (the system_id your SMSC gave you)");
    }
    b.systemId(systemId.strip());
    set(settings, "smpp.port", v -> b.port(integer("smpp.port", v)));
    set(settings, "smpp.password", b::password);
    set(settings, "smpp.systemType", b::systemType);
    set(settings, "smpp.addressRange", b::addressRange);
    set(settings, "smpp.serviceType", b::serviceType);
    set(settings, "smpp.bindMode", v -> b.bindMode(switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "transceiver", "trx" -> SmppSmsProvider.BindMode.TRANSCEIVER;
      case "transmitterreceiver", "transmitter_receiver", "tx+rx", "txrx" ->
          SmppSmsProvider.BindMode.TRANSMITTER_RECEIVER;
      default -> throw new SmsConfigurationException("smpp.bindMode must be transceiver or transmitterReceiver: '"
          + v + "'");
    }));
    set(settings, "smpp.binds", v -> b.binds(integer("smpp.binds", v)));
    set(settings, "smpp.window", v -> b.window(integer("smpp.window", v)));
    set(settings, "smpp.partsPerSecond", v -> b.partsPerSecond(integer("smpp.partsPerSecond", v)));
    set(settings, "smpp.enquireLinkInterval", v -> b.enquireLinkInterval(duration("smpp.enquireLinkInterval", v)));
    set(settings, "smpp.responseTimeout", v -> b.responseTimeout(duration("smpp.responseTimeout", v)));
    set(settings, "smpp.bindTimeout", v -> b.bindTimeout(duration("smpp.bindTimeout", v)));
    Duration initial = opt(settings, "smpp.initialBackoff", Duration.ofSeconds(1));
    Duration max = opt(settings, "smpp.maxBackoff", Duration.ofSeconds(60));
    b.reconnectBackoff(initial, max);
    set(settings, "smpp.queueCapacity", v -> b.queueCapacity(integer("smpp.queueCapacity", v)));
    set(settings, "smpp.queueTimeout", v -> b.queueTimeout(duration("smpp.queueTimeout", v)));
    set(settings, "smpp.longMessages", v -> b.longMessageMode(switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "udh8", "udh" -> SmppSmsProvider.LongMessageMode.UDH_8BIT;
      case "udh16" -> SmppSmsProvider.LongMessageMode.UDH_16BIT;
      case "sar" -> SmppSmsProvider.LongMessageMode.SAR;
      case "payload", "message_payload" -> SmppSmsProvider.LongMessageMode.MESSAGE_PAYLOAD;
      default -> throw new SmsConfigurationException("smpp.longMessages must be udh8, udh16, sar or payload: '" + v
          + "'");
    }));
    set(settings, "smpp.latin1", v -> b.latin1(bool("smpp.latin1", v)));
    String region = settings.apply("smpp.defaultRegion");
    if (region != null && !region.isBlank()) {
      b.defaultRegion(region.strip().toUpperCase(Locale.ROOT));
    }
    set(settings, "smpp.defaultOriginator", v -> {
      try {
        b.defaultOriginator(Originator.parse(v, region == null ? null : region.strip().toUpperCase(Locale.ROOT)));
      } catch (SmsException e) {
        throw new SmsConfigurationException("smpp.defaultOriginator is invalid: " + e.getMessage());
      }
    });
    set(settings, "smpp.messageIdTag", v -> b.messageIdTag(integer("smpp.messageIdTag", v)));
    return b.build();
  }

  private interface Setter {
    void accept(String value);
  }

  private static void set(Function<String, String> settings, String key, Setter setter) {
    String v = settings.apply(key);
    if (v != null && !v.isBlank()) {
      setter.accept(v.strip());
    }
  }

  private static Duration opt(Function<String, String> settings, String key, Duration def) {
    String v = settings.apply(key);
    return v == null || v.isBlank() ? def : duration(key, v.strip());
  }

  static int integer(String key, String v) {
    try {
      String s = v.strip().replace("_", "").replace(",", "");
      return s.startsWith("0x") || s.startsWith("0X") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new SmsConfigurationException(key + " must be a whole number: '" + v + "'");
    }
  }

  static boolean bool(String key, String v) {
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new SmsConfigurationException(key + " must be true or false: '" + v + "'");
    };
  }

  static Duration duration(String key, String v) {
    String s = v.strip().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("p")) {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).strip()));
      }
      if (s.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).strip()));
      }
      if (s.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1).strip()));
      }
      return Duration.ofMillis(Long.parseLong(s));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new SmsConfigurationException(key + " must be a duration such as 30s, 500ms or PT1M: '" + v + "'");
    }
  }
}
