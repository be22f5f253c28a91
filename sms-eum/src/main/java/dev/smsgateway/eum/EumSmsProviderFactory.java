package dev.smsgateway.eum;

import dev.smsgateway.aws.SendOnce;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsProviderFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.pinpoint.PinpointAsyncClient;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;

/**
 * Creates {@link EumSmsProvider}s from settings, for {@code SmsProviders.create("eum", settings)}. It builds its own
 * SDK client for {@code eum.region} with the default credential provider chain and <b>no SDK retries</b> (a retried
 * {@code SendTextMessage} can send the SMS twice); the provider closes that client when it is closed.
 *
 * <p>Settings (see docs/sms-eum.md): {@code eum.region} (required), {@code eum.mode} ({@code EUM_SNS},
 * {@code EUM_CONNECT}, {@code PINPOINT_PROJECT}; default {@code EUM_SNS}), {@code eum.originationIdentity},
 * {@code eum.configurationSet}, {@code eum.applicationId} (Pinpoint), {@code eum.messageType}, {@code eum.maxPrice},
 * {@code eum.dryRun}, {@code eum.messageFeedbackEnabled}, {@code eum.protectConfigurationId},
 * {@code eum.defaultTimeToLive} and {@code eum.apiCallTimeout} (ISO-8601 durations such as {@code PT10S}), and
 * {@code eum.endpoint} (an endpoint override, for VPC endpoints and tests).
 *
 * <p>Stateless and thread-safe.
 */
public final class EumSmsProviderFactory implements SmsProviderFactory {

  /** Every key {@link #create} reads. */
  static final Set<String> KEYS = Set.of(
      "eum.apiCallTimeout", "eum.applicationId", "eum.configurationSet", "eum.defaultTimeToLive", "eum.dryRun",
      "eum.endpoint", "eum.maxPrice", "eum.messageFeedbackEnabled", "eum.messageType", "eum.mode",
      "eum.originationIdentity", "eum.protectConfigurationId", "eum.region");

  static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(10);

  /** Used by {@link java.util.ServiceLoader}. */
  public EumSmsProviderFactory() {}

  @Override
  public String type() {
    return "eum";
  }

  @Override
  public Set<String> settingKeys() {
    return KEYS;
  }

  @Override
  public SmsProvider create(String name, Function<String, String> settings) {
    String regionName = required(settings, "eum.region");
    EumMode mode = parseEnum(settings, "eum.mode", EumMode.class, EumMode.EUM_SNS);
    EumSmsProvider.MessageType messageType = parseEnum(settings, "eum.messageType", EumSmsProvider.MessageType.class,
        EumSmsProvider.MessageType.TRANSACTIONAL);
    Duration apiCallTimeout = duration(settings, "eum.apiCallTimeout", DEFAULT_API_CALL_TIMEOUT);
    URI endpoint = uri(settings, "eum.endpoint");
    if (mode == EumMode.PINPOINT_PROJECT && blank(settings.apply("eum.applicationId"))) {
      throw new SmsConfigurationException("setting eum.applicationId is required for eum.mode=PINPOINT_PROJECT");
    }

    EumSmsProvider.Builder b = EumSmsProvider.builder()
        .name(name)
        .mode(mode)
        .messageType(messageType)
        .originationIdentity(settings.apply("eum.originationIdentity"))
        .configurationSetName(settings.apply("eum.configurationSet"))
        .applicationId(settings.apply("eum.applicationId"))
        .protectConfigurationId(settings.apply("eum.protectConfigurationId"))
        .dryRun(bool(settings, "eum.dryRun"))
        .messageFeedbackEnabled(bool(settings, "eum.messageFeedbackEnabled"))
        .defaultTimeToLive(duration(settings, "eum.defaultTimeToLive", null))
        .ownsClients(true);
    String maxPrice = settings.apply("eum.maxPrice");
    if (!blank(maxPrice)) {
      try {
        b.maxPrice(new BigDecimal(maxPrice.strip()));
      } catch (NumberFormatException e) {
        throw new SmsConfigurationException("setting eum.maxPrice is not a decimal number: '" + maxPrice + "'");
      }
    }

    Region region = Region.of(regionName);
    // SendOnce: one attempt, no DEBUG log of failed attempts (doNotRetry logs the service's message, numbers included)
    ClientOverrideConfiguration noRetries = ClientOverrideConfiguration.builder()
        .retryStrategy(SendOnce.strategy())
        .apiCallTimeout(apiCallTimeout)
        .build();
    if (mode == EumMode.PINPOINT_PROJECT) {
      // the CRT client: the Netty client dumps every request body (numbers, text) at DEBUG (docs/reliability.md X1)
      var client = PinpointAsyncClient.builder().region(region).overrideConfiguration(noRetries)
          .httpClientBuilder(AwsCrtAsyncHttpClient.builder());
      if (endpoint != null) {
        client.endpointOverride(endpoint);
      }
      b.pinpointClient(client.build());
    } else {
      var client = PinpointSmsVoiceV2AsyncClient.builder().region(region).overrideConfiguration(noRetries)
          .httpClientBuilder(AwsCrtAsyncHttpClient.builder());
      if (endpoint != null) {
        client.endpointOverride(endpoint);
      }
      b.smsVoiceClient(client.build());
    }
    return b.build();
  }

  private static String required(Function<String, String> settings, String key) {
    String value = settings.apply(key);
    if (blank(value)) {
      throw new SmsConfigurationException("setting " + key + " is required");
    }
    return value.strip();
  }

  private static <E extends Enum<E>> E parseEnum(Function<String, String> settings, String key, Class<E> type,
      E fallback) {
    String value = settings.apply(key);
    if (blank(value)) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SmsConfigurationException("setting " + key + " must be one of "
          + java.util.Arrays.toString(type.getEnumConstants()) + ": '" + value + "'");
    }
  }

  private static boolean bool(Function<String, String> settings, String key) {
    String value = settings.apply(key);
    if (blank(value)) {
      return false;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new SmsConfigurationException("setting " + key + " must be true or false: '" + value + "'");
    };
  }

  private static Duration duration(Function<String, String> settings, String key, Duration fallback) {
    String value = settings.apply(key);
    if (blank(value)) {
      return fallback;
    }
    try {
      Duration d = Duration.parse(value.strip());
      if (d.isNegative() || d.isZero()) {
        throw new SmsConfigurationException("setting " + key + " must be positive: '" + value + "'");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new SmsConfigurationException("setting " + key + " must be an ISO-8601 duration such as PT10S: '"
          + value + "'");
    }
  }

  private static URI uri(Function<String, String> settings, String key) {
    String value = settings.apply(key);
    if (blank(value)) {
      return null;
    }
    try {
      URI uri = URI.create(value.strip());
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("no scheme or host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new SmsConfigurationException("setting " + key + " is not an absolute URI: '" + value + "'");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
