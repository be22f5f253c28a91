package dev.smsgateway.twilio;

import dev.smsgateway.Originator;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsProviderFactory;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.function.Function;

/**
 * Creates {@link TwilioSmsProvider}s by the type name {@code twilio} through {@link java.util.ServiceLoader}.
 *
 * <p>Settings ({@code null} = absent):
 * <table>
 *   <caption>Settings</caption>
 *   <tr><td>{@code twilio.accountSid}</td><td>required, {@code AC...}</td></tr>
 *   <tr><td>{@code twilio.authToken}</td><td>the auth token; or {@code twilio.apiKey} + {@code twilio.apiSecret}</td></tr>
 *   <tr><td>{@code twilio.webhookAuthToken}</td><td>signing key of webhooks; default {@code twilio.authToken}</td></tr>
 *   <tr><td>{@code twilio.messagingServiceSid}</td><td>{@code MG...}; this or {@code twilio.from} is required</td></tr>
 *   <tr><td>{@code twilio.from}</td><td>default sender: E.164 number, short code or sender id</td></tr>
 *   <tr><td>{@code twilio.defaultRegion}</td><td>ISO country for reading {@code twilio.from} (short codes)</td></tr>
 *   <tr><td>{@code twilio.publicBaseUrl}</td><td>public https URL of the webhook server</td></tr>
 *   <tr><td>{@code twilio.statusCallback}</td><td>status callback URL; default {@code <publicBaseUrl>/twilio/status}</td></tr>
 *   <tr><td>{@code twilio.smartEncoded}</td><td>{@code true}/{@code false}; default Twilio's (off)</td></tr>
 *   <tr><td>{@code twilio.region}, {@code twilio.edge}</td><td>Twilio region and edge</td></tr>
 *   <tr><td>{@code twilio.threads}</td><td>worker threads and HTTP connections; default 8</td></tr>
 *   <tr><td>{@code twilio.connectTimeout}, {@code twilio.readTimeout}</td><td>ISO-8601 durations; default PT10S,
 *       PT30.5S</td></tr>
 *   <tr><td>{@code twilio.deduplicationWindow}</td><td>webhook de-duplication window, ISO-8601; default PT24H</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe.
 */
public final class TwilioSmsProviderFactory implements SmsProviderFactory {

  /** Every key {@link #create} reads. */
  static final Set<String> KEYS = Set.of(
      "twilio.accountSid", "twilio.apiKey", "twilio.apiSecret", "twilio.authToken", "twilio.connectTimeout",
      "twilio.deduplicationWindow", "twilio.defaultRegion", "twilio.edge", "twilio.from",
      "twilio.maxPrice", "twilio.messagingServiceSid", "twilio.publicBaseUrl", "twilio.readTimeout", "twilio.region",
      "twilio.smartEncoded", "twilio.statusCallback", "twilio.threads", "twilio.webhookAuthToken");

  /** Public no-argument constructor for ServiceLoader. */
  public TwilioSmsProviderFactory() {}

  @Override
  public String type() {
    return "twilio";
  }

  @Override
  public Set<String> settingKeys() {
    return KEYS;
  }

  @Override
  public SmsProvider create(String name, Function<String, String> settings) {
    TwilioSmsProvider.Builder b = TwilioSmsProvider.builder().name(name);
    try {
      if (get(settings, "twilio.maxPrice") != null) {
        // Twilio's Messages API marks MaxPrice "[OBSOLETE] This parameter will no longer have any effect as of
        // 2024-06-03": sending it would promise a guard that does not exist.
        throw new SmsConfigurationException("provider " + name + ": twilio.maxPrice is not supported: Twilio's"
            + " MaxPrice parameter has had no effect since 2024-06-03; limit spending with SmsGateway's"
            + " spendingBudget (SpendingBudget) instead");
      }
      String accountSid = get(settings, "twilio.accountSid");
      if (accountSid == null) {
        throw new SmsConfigurationException("provider " + name + ": twilio.accountSid is required");
      }
      b.accountSid(accountSid);
      String authToken = get(settings, "twilio.authToken");
      String apiKey = get(settings, "twilio.apiKey");
      String apiSecret = get(settings, "twilio.apiSecret");
      if (apiKey != null || apiSecret != null) {
        if (apiKey == null || apiSecret == null) {
          throw new SmsConfigurationException("provider " + name + ": twilio.apiKey and twilio.apiSecret go together");
        }
        b.apiKey(apiKey, apiSecret);
        if (authToken != null) {
          b.webhookAuthToken(authToken);
        }
      } else if (authToken != null) {
        b.authToken(authToken);
      } else {
        throw new SmsConfigurationException("provider " + name + ": twilio.authToken (or twilio.apiKey and "
            + "twilio.apiSecret) is required");
      }
      String webhookToken = get(settings, "twilio.webhookAuthToken");
      if (webhookToken != null) {
        b.webhookAuthToken(webhookToken);
      }
      String service = get(settings, "twilio.messagingServiceSid");
      String from = get(settings, "twilio.from");
      if (service == null && from == null) {
        throw new SmsConfigurationException("provider " + name + ": twilio.messagingServiceSid or twilio.from is "
            + "required");
      }
      b.messagingServiceSid(service);
      if (from != null) {
        try {
          b.from(Originator.parse(from, get(settings, "twilio.defaultRegion")));
        } catch (SmsException e) {
          throw new SmsConfigurationException("provider " + name + ": twilio.from is not a phone number, short code or"
              + " sender id: " + e.getMessage(), name, null, e);
        }
      }
      String base = get(settings, "twilio.publicBaseUrl");
      if (base != null) {
        b.publicBaseUrl(uri(base, "twilio.publicBaseUrl"));
      }
      String callback = get(settings, "twilio.statusCallback");
      if (callback != null) {
        b.statusCallback(uri(callback, "twilio.statusCallback"));
      }
      String smart = get(settings, "twilio.smartEncoded");
      if (smart != null) {
        if (!smart.equalsIgnoreCase("true") && !smart.equalsIgnoreCase("false")) {
          throw new SmsConfigurationException("provider " + name + ": twilio.smartEncoded must be true or false: '"
              + smart + "'");
        }
        b.smartEncoded(Boolean.parseBoolean(smart));
      }
      String region = get(settings, "twilio.region");
      if (region != null) {
        b.region(region);
      }
      String edge = get(settings, "twilio.edge");
      if (edge != null) {
        b.edge(edge);
      }
      String threads = get(settings, "twilio.threads");
      if (threads != null) {
        try {
          b.threads(Integer.parseInt(threads));
        } catch (NumberFormatException e) {
          throw new SmsConfigurationException("provider " + name + ": twilio.threads is not a number: '" + threads + "'");
        }
      }
      Duration connect = duration(settings, "twilio.connectTimeout");
      if (connect != null) {
        b.connectTimeout(connect);
      }
      Duration read = duration(settings, "twilio.readTimeout");
      if (read != null) {
        b.readTimeout(read);
      }
      Duration window = duration(settings, "twilio.deduplicationWindow");
      if (window != null) {
        b.deduplicationWindow(window);
      }
    } catch (SmsConfigurationException e) {
      throw e;
    } catch (SmsException e) {
      throw new SmsConfigurationException("provider " + name + ": " + e.getMessage(), name, null, e);
    }
    return b.build();
  }

  private static String get(Function<String, String> settings, String key) {
    String v = settings.apply(key);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static URI uri(String value, String key) {
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new SmsConfigurationException(key + " is not a URL: '" + value + "'");
    }
  }

  private static Duration duration(Function<String, String> settings, String key) {
    String v = get(settings, key);
    if (v == null) {
      return null;
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw new SmsConfigurationException(key + " is not an ISO-8601 duration such as PT10S: '" + v + "'");
    }
  }
}
