package dev.smsgateway.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sms.providers.<name>.*}: one provider. {@code type} picks the provider module ({@code smpp}, {@code twilio},
 * {@code eum}); the settings of that type go under the key of the same name, spelled as in the module's
 * documentation or in kebab case ({@code smpp.system-id} or {@code smpp.systemId}; from the environment
 * {@code SMS_PROVIDERS_SMSC_SMPP_PASSWORD}). Settings the provider type does not know are start-up errors.
 *
 * <p>{@link #toString()} never shows setting values (they hold passwords and tokens).
 */
public class ProviderProperties {

  /** The provider type: smpp, twilio or eum (its module must be on the class path). */
  private String type;

  /**
   * Where the provider's webhooks are served on this application's server. Twilio: the local path that the provider's
   * twilio.public-base-url points to (default: the root, so /twilio/inbound/&lt;mapping&gt; and /twilio/status).
   * EUM: the SNS subscription's path (default /sns/&lt;provider name&gt;).
   */
  private String webhookPath;

  /** SMPP settings (sms-smpp): host, port, system-id, password, binds, window, parts-per-second, ... */
  private final Map<String, String> smpp = new LinkedHashMap<>();

  /** Twilio settings (sms-twilio): account-sid, auth-token, messaging-service-sid, from, public-base-url, ... */
  private final Map<String, String> twilio = new LinkedHashMap<>();

  /** AWS End User Messaging settings (sms-eum): region, mode, origination-identity, configuration-set, ... */
  private final Map<String, String> eum = new LinkedHashMap<>();

  /** The SNS endpoint of an EUM provider (inbound messages and delivery events). */
  private final Sns sns = new Sns();

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getWebhookPath() {
    return webhookPath;
  }

  public void setWebhookPath(String webhookPath) {
    this.webhookPath = webhookPath;
  }

  public Map<String, String> getSmpp() {
    return smpp;
  }

  public Map<String, String> getTwilio() {
    return twilio;
  }

  public Map<String, String> getEum() {
    return eum;
  }

  public Sns getSns() {
    return sns;
  }

  /** The settings groups by their type name. */
  Map<String, Map<String, String>> groups() {
    Map<String, Map<String, String>> groups = new LinkedHashMap<>();
    groups.put("smpp", smpp);
    groups.put("twilio", twilio);
    groups.put("eum", eum);
    return groups;
  }

  @Override
  public String toString() {
    return "ProviderProperties{type=" + type + ", settings=" + smpp.keySet() + twilio.keySet() + eum.keySet() + "}";
  }

  /** {@code sms.providers.<name>.sns.*}. */
  public static class Sns {
    /** The SNS topics whose messages this endpoint accepts; the endpoint is mounted only when this is set. */
    private final List<String> topicArns = new ArrayList<>();
    /** The body cap in bytes (at least 1024). Default 64 KiB. */
    private Integer maxBodyBytes;
    /** The replay window: older messages are refused. Default 1 hour. */
    private Duration maxMessageAge;
    /** The country to read short-code destinations in. */
    private String shortCodeCountry;

    public List<String> getTopicArns() {
      return topicArns;
    }

    public Integer getMaxBodyBytes() {
      return maxBodyBytes;
    }

    public void setMaxBodyBytes(Integer maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
    }

    public Duration getMaxMessageAge() {
      return maxMessageAge;
    }

    public void setMaxMessageAge(Duration maxMessageAge) {
      this.maxMessageAge = maxMessageAge;
    }

    public String getShortCodeCountry() {
      return shortCodeCountry;
    }

    public void setShortCodeCountry(String shortCodeCountry) {
      this.shortCodeCountry = shortCodeCountry;
    }
  }
}
