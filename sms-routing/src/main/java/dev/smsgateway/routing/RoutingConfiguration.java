package dev.smsgateway.routing;

import dev.smsgateway.NumberCheck;
import dev.smsgateway.Originator;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.ProviderCapabilities;
import dev.smsgateway.SmsValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every {@link Mapping} of an application, and which providers answer opt-out keywords themselves. Built in code, or
 * read from a YAML or JSON file with the same model ({@link #load(Path)}, {@link #parseYaml}, {@link #parseJson}):
 *
 * <pre>{@code
 * providers:
 *   twilio-main: { answersKeywords: true }
 * mappings:
 *   - code: sales
 *     provider: smpp-primary
 *     defaultCountry: US
 *     delivery: QUEUE
 *     originatorTtl: 24h
 *     chatControl: { idleTimeout: 10m, suppressSystemMessages: false }
 *     numbers:
 *       - { number: "+14155550100", displayName: Acme Sales, queue: sales }
 * }</pre>
 *
 * <p>A business number belongs to at most one mapping; mapping codes are unique.
 *
 * <p>Immutable and thread-safe.
 */
public final class RoutingConfiguration {

  private final List<Mapping> mappings;
  private final Map<String, Boolean> answersKeywords;
  private final Map<Originator, Mapping> byNumber;
  private final Map<Originator, BusinessNumber> numbers;
  /** Per business number, its mapping and number, looked up once per routing decision. */
  private final Map<Originator, Route> routes;

  private RoutingConfiguration(List<Mapping> mappings, Map<String, Boolean> answersKeywords) {
    this.mappings = List.copyOf(mappings);
    this.answersKeywords = Map.copyOf(answersKeywords);
    Map<Originator, Mapping> m = new HashMap<>();
    Map<Originator, BusinessNumber> n = new HashMap<>();
    for (Mapping mapping : mappings) {
      for (BusinessNumber number : mapping.numbers()) {
        m.put(number.number(), mapping);
        n.put(number.number(), number);
      }
    }
    this.byNumber = Map.copyOf(m);
    this.numbers = Map.copyOf(n);
    Map<Originator, Route> r = new HashMap<>();
    n.forEach((originator, number) -> r.put(originator, new Route(m.get(originator), number)));
    this.routes = Map.copyOf(r);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}) file.
   *
   * @throws SmsValidationException naming the field and value when the content is wrong
   * @throws java.io.UncheckedIOException when the file cannot be read
   */
  public static RoutingConfiguration load(Path file) {
    return load(file, NumberCheck.LIBPHONENUMBER);
  }

  /** Like {@link #load(Path)}, checking business numbers with {@code check} ({@link Mapping.Builder#numberCheck}). */
  public static RoutingConfiguration load(Path file, NumberCheck check) {
    Objects.requireNonNull(file, "file == null");
    Objects.requireNonNull(check, "check == null");
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    try (InputStream in = Files.newInputStream(file)) {
      return ConfigurationReader.read(in, name.endsWith(".json") ? ConfigurationReader.Format.JSON
          : ConfigurationReader.Format.YAML, check);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read routing configuration " + file, e);
    }
  }

  /** Reads YAML text. */
  public static RoutingConfiguration parseYaml(String yaml) {
    return parseYaml(yaml, NumberCheck.LIBPHONENUMBER);
  }

  /** Reads YAML text, checking business numbers with {@code check} ({@link Mapping.Builder#numberCheck}). */
  public static RoutingConfiguration parseYaml(String yaml, NumberCheck check) {
    return ConfigurationReader.read(Objects.requireNonNull(yaml, "yaml == null"), ConfigurationReader.Format.YAML,
        Objects.requireNonNull(check, "check == null"));
  }

  /** Reads JSON text. */
  public static RoutingConfiguration parseJson(String json) {
    return parseJson(json, NumberCheck.LIBPHONENUMBER);
  }

  /** Reads JSON text, checking business numbers with {@code check} ({@link Mapping.Builder#numberCheck}). */
  public static RoutingConfiguration parseJson(String json, NumberCheck check) {
    return ConfigurationReader.read(Objects.requireNonNull(json, "json == null"), ConfigurationReader.Format.JSON,
        Objects.requireNonNull(check, "check == null"));
  }

  /** The mappings, in the order given. */
  public List<Mapping> mappings() {
    return mappings;
  }

  /** The mapping with this code. */
  public Optional<Mapping> mapping(String code) {
    for (Mapping m : mappings) {
      if (m.code().equals(code)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** The mapping a business number belongs to. */
  public Optional<Mapping> mappingFor(Originator businessNumber) {
    return Optional.ofNullable(byNumber.get(businessNumber));
  }

  /**
   * A business number's mapping and number together, with their {@link Optional}s, the number's target and the reason
   * of an opening to it made once, for the router: one lookup per decision and nothing allocated. Immutable.
   */
  record Route(Mapping mapping, BusinessNumber number, Optional<Mapping> mappingIfAny,
      Optional<BusinessNumber> numberIfAny, RouteTarget target, String openingReason) {
    Route(Mapping mapping, BusinessNumber number) {
      this(mapping, number, Optional.of(mapping), Optional.of(number), number.target(),
          "no open conversation or originator record; number's " + RoutingEngine.describe(number.target()));
    }
  }

  /** The business number's mapping and number, or null when no mapping holds it. */
  Route route(Originator businessNumber) {
    return routes.get(businessNumber);
  }

  /** The configured business number. */
  public Optional<BusinessNumber> number(Originator businessNumber) {
    return Optional.ofNullable(numbers.get(businessNumber));
  }

  /**
   * Finds a business number written as a person might write it, trying each mapping's default country.
   */
  public Optional<BusinessNumber> findNumber(String raw) {
    Objects.requireNonNull(raw, "raw == null");
    for (Mapping mapping : mappings) {
      Originator parsed;
      try {
        parsed = Originator.parse(raw, mapping.defaultCountry(), mapping.numberCheck());
      } catch (SmsValidationException e) {
        continue;
      }
      BusinessNumber n = numbers.get(parsed);
      if (n != null) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the named provider answers STOP, START and HELP itself (Twilio and AWS do by default), so the library
   * records the keyword but sends no reply of its own. Default false.
   */
  public boolean providerAnswersKeywords(String provider) {
    return provider != null && answersKeywords.getOrDefault(provider, false);
  }

  /**
   * The sending rates set per business number ({@code partsPerSecond}), for the gateway:
   * {@code SmsGateway.builder().originatorThrottles(OriginatorThrottles.defaults().toBuilder()
   * .numbers(config.partsPerSecondByNumber()).build())}. Numbers without a rate of their own are absent.
   */
  public Map<Originator, Double> partsPerSecondByNumber() {
    Map<Originator, Double> rates = new HashMap<>();
    numbers.forEach((originator, number) -> number.partsPerSecond().ifPresent(r -> rates.put(originator, r)));
    return Map.copyOf(rates);
  }

  /** The per-provider keyword settings given. */
  public Map<String, Boolean> providerKeywordSettings() {
    return answersKeywords;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RoutingConfiguration c && mappings.equals(c.mappings) && answersKeywords.equals(c.answersKeywords);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mappings, answersKeywords);
  }

  @Override
  public String toString() {
    return "RoutingConfiguration{mappings=" + mappings + ", answersKeywords=" + answersKeywords + "}";
  }

  /** Builds {@link RoutingConfiguration}. Not thread-safe. */
  public static final class Builder {
    private final List<Mapping> mappings = new ArrayList<>();
    private final Map<String, Boolean> answersKeywords = new LinkedHashMap<>();

    private Builder() {}

    /** Adds a mapping. */
    public Builder addMapping(Mapping mapping) {
      mappings.add(Objects.requireNonNull(mapping, "mapping == null"));
      return this;
    }

    /** Adds a mapping. */
    public Builder addMapping(Mapping.Builder mapping) {
      return addMapping(Objects.requireNonNull(mapping, "mapping == null").build());
    }

    /** Says whether the named provider answers opt-out and help keywords itself. */
    public Builder providerAnswersKeywords(String provider, boolean answers) {
      answersKeywords.put(Checks.code("providers[?]", provider), answers);
      return this;
    }

    /** Takes the setting from a provider's {@link ProviderCapabilities#answersOptOutKeywords()}. */
    public Builder providerCapabilities(String provider, ProviderCapabilities capabilities) {
      return providerAnswersKeywords(provider, capabilities.answersOptOutKeywords());
    }

    /**
     * Builds and checks that codes and numbers are unique across mappings.
     *
     * @throws SmsValidationException naming the repeated field
     */
    public RoutingConfiguration build() {
      Map<String, Integer> codes = new HashMap<>();
      Map<Originator, String> numbers = new HashMap<>();
      for (int i = 0; i < mappings.size(); i++) {
        Mapping m = mappings.get(i);
        String path = "mappings[" + m.code() + "]";
        if (codes.putIfAbsent(m.code(), i) != null) {
          throw new SmsValidationException(path + ".code", "repeats the code of mappings[" + codes.get(m.code()) + "]: '"
              + m.code() + "'");
        }
        for (int j = 0; j < m.numbers().size(); j++) {
          Originator n = m.numbers().get(j).number();
          String owner = numbers.putIfAbsent(n, m.code());
          if (owner != null) {
            throw new SmsValidationException(path + ".numbers[" + j + "].number",
                "already belongs to mappings[" + owner + "]: " + n);
          }
        }
      }
      return new RoutingConfiguration(mappings, answersKeywords);
    }
  }
}
