package dev.smsgateway.compliance;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.smsgateway.PhoneNumber;
import java.lang.reflect.Method;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds a recipient's time zone from the number: a zone only when the number gives exactly one, empty otherwise (the
 * {@link Compliance} engine then uses its configured default zone).
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface RecipientTimeZones {

  /** The recipient's zone when the number gives exactly one. */
  Optional<ZoneId> zoneOf(PhoneNumber number);

  /**
   * libphonenumber's {@code PhoneNumberToTimeZonesMapper} (artifact {@code com.googlecode.libphonenumber:geocoder},
   * which the application adds): the zone when the mapper gives exactly one. Without that artifact on the class path
   * it knows no zone.
   */
  static RecipientTimeZones libphonenumber() {
    return LibPhoneNumberZones.INSTANCE;
  }

  /**
   * Zones by E.164 prefix ({@code "+1808"} for Hawaii): the longest matching prefix wins. For numbers whose zone the
   * application knows better than the number does, or without the geocoder artifact.
   *
   * @throws IllegalArgumentException if a prefix does not start with {@code +} and a digit
   */
  static RecipientTimeZones prefixes(Map<String, ZoneId> zones) {
    Map<String, ZoneId> copy = new LinkedHashMap<>();
    zones.entrySet().stream().sorted(Comparator.comparing((Map.Entry<String, ZoneId> e) -> e.getKey().length())
        .reversed()).forEach(e -> {
          if (!e.getKey().matches("\\+[0-9]+")) {
            throw new IllegalArgumentException("time-zone prefix must be + and digits: " + e.getKey());
          }
          copy.put(e.getKey(), Objects.requireNonNull(e.getValue(), "zone == null"));
        });
    return number -> {
      for (Map.Entry<String, ZoneId> e : copy.entrySet()) {
        if (number.e164().startsWith(e.getKey())) {
          return Optional.of(e.getValue());
        }
      }
      return Optional.empty();
    };
  }

  /** This lookup, then {@code next} where this one knows no zone. */
  default RecipientTimeZones orElse(RecipientTimeZones next) {
    Objects.requireNonNull(next, "next == null");
    return number -> {
      Optional<ZoneId> zone = zoneOf(number);
      return zone.isPresent() ? zone : next.zoneOf(number);
    };
  }
}

/** The geocoder artifact's mapper, found reflectively so that sms-core does not depend on that artifact. */
final class LibPhoneNumberZones implements RecipientTimeZones {

  static final LibPhoneNumberZones INSTANCE = new LibPhoneNumberZones();

  private final Object mapper;
  private final Method zonesFor;

  private LibPhoneNumberZones() {
    Object m = null;
    Method z = null;
    try {
      Class<?> type = Class.forName("com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper");
      m = type.getMethod("getInstance").invoke(null);
      z = type.getMethod("getTimeZonesForNumber", Phonenumber.PhoneNumber.class);
    } catch (ReflectiveOperationException | LinkageError e) {
      // not on the class path: no zone from the number
    }
    this.mapper = m;
    this.zonesFor = z;
  }

  @Override
  public Optional<ZoneId> zoneOf(PhoneNumber number) {
    if (mapper == null) {
      return Optional.empty();
    }
    try {
      Phonenumber.PhoneNumber parsed = PhoneNumberUtil.getInstance().parse(number.e164(), "ZZ");
      List<?> zones = (List<?>) zonesFor.invoke(mapper, parsed);
      if (zones.size() == 1 && !"Etc/Unknown".equals(zones.get(0))) {
        return Optional.of(ZoneId.of((String) zones.get(0)));
      }
    } catch (NumberParseException | ReflectiveOperationException | RuntimeException e) {
      // an unknown zone id or an unparsable number: no zone
    }
    return Optional.empty();
  }
}
