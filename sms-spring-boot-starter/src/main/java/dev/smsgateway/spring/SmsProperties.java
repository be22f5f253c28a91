package dev.smsgateway.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * The {@code sms.*} settings: gateway, providers, stores, routing and webhooks. Unknown keys under {@code sms} are
 * start-up errors that name them (a typo never silently falls back to a default). Secrets ({@code password},
 * {@code auth-token}, ...) come from any Spring property source (environment variables, a vault) and are never logged:
 * {@link #toString()} and the provider settings' {@code toString()} list keys, not values.
 *
 * <p>Mutable (bound by Spring); not thread-safe until bound.
 */
@ConfigurationProperties(prefix = "sms", ignoreUnknownFields = false)
public class SmsProperties {

  /** Whether the SMS gateway is auto-configured at all. */
  private boolean enabled = true;

  /** ISO 3166-1 alpha-2 region for reading national numbers, for example {@code US}. */
  private String defaultRegion;

  /** The most parts one message may have (1-255). Default 10. */
  private Integer maxParts;

  /** How long an idempotency key holds. Default 24 hours. */
  private Duration idempotencyTtl;

  /** How retryable failures are retried; unset keeps the library's defaults. */
  private final Retry retry = new Retry();

  /** Failover: provider name to the provider tried when it fails with a retryable, not possibly-delivered error. */
  private final Map<String, String> failover = new LinkedHashMap<>();

  /** Per-provider throttle in SMS parts per second (a token bucket in the gateway). */
  private final Map<String, Double> throttle = new LinkedHashMap<>();

  /** The providers by name; the first one is the primary. */
  private final Map<String, ProviderProperties> providers = new LinkedHashMap<>();

  /** Where opt-outs, messages, originator records and conversations are kept. */
  private final Store store = new Store();

  /** The routing of customer replies (the same model as the routing YAML file). */
  private final Routing routing = new Routing();

  /** Webhook endpoints on the application's web server. */
  private final Webhooks webhooks = new Webhooks();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getDefaultRegion() {
    return defaultRegion;
  }

  public void setDefaultRegion(String defaultRegion) {
    this.defaultRegion = defaultRegion;
  }

  public Integer getMaxParts() {
    return maxParts;
  }

  public void setMaxParts(Integer maxParts) {
    this.maxParts = maxParts;
  }

  public Duration getIdempotencyTtl() {
    return idempotencyTtl;
  }

  public void setIdempotencyTtl(Duration idempotencyTtl) {
    this.idempotencyTtl = idempotencyTtl;
  }

  public Retry getRetry() {
    return retry;
  }

  public Map<String, String> getFailover() {
    return failover;
  }

  public Map<String, Double> getThrottle() {
    return throttle;
  }

  public Map<String, ProviderProperties> getProviders() {
    return providers;
  }

  public Store getStore() {
    return store;
  }

  public Routing getRouting() {
    return routing;
  }

  public Webhooks getWebhooks() {
    return webhooks;
  }

  @Override
  public String toString() {
    return "SmsProperties{providers=" + providers + ", store=" + store.type + ", mappings="
        + routing.mappings.size() + "}";
  }

  /** {@code sms.retry.*}. */
  public static class Retry {
    /** Attempts in all, including the first (1 means no retry). */
    private Integer maxAttempts;
    /** The backoff before the first retry (before jitter). */
    private Duration initialBackoff;
    /** The cap on any one backoff. */
    private Duration maxBackoff;
    /** Whether to retry sends whose outcome is unknown (a retry may send the message twice). */
    private Boolean retryPossiblyDelivered;

    public Integer getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    public Boolean getRetryPossiblyDelivered() {
      return retryPossiblyDelivered;
    }

    public void setRetryPossiblyDelivered(Boolean retryPossiblyDelivered) {
      this.retryPossiblyDelivered = retryPossiblyDelivered;
    }

    boolean isSet() {
      return maxAttempts != null || initialBackoff != null || maxBackoff != null || retryPossiblyDelivered != null;
    }
  }

  /** {@code sms.store.*}. */
  public static class Store {
    /** memory (this JVM only), jdbc (the application's DataSource) or dynamodb (the application's DynamoDbClient). */
    private StoreType type = StoreType.MEMORY;
    /** Whether the JDBC stores create or upgrade their tables at start-up. */
    private boolean jdbcMigrate = true;
    /** The DynamoDB table of the stores (one table, created beforehand; see docs/sms-store-dynamodb.md). */
    private String dynamodbTable;
    /** Whether the DynamoDB stores check the table's key schema and TTL at start-up. */
    private boolean dynamodbVerifyTable = true;

    public StoreType getType() {
      return type;
    }

    public void setType(StoreType type) {
      this.type = type;
    }

    public boolean isJdbcMigrate() {
      return jdbcMigrate;
    }

    public void setJdbcMigrate(boolean jdbcMigrate) {
      this.jdbcMigrate = jdbcMigrate;
    }

    public String getDynamodbTable() {
      return dynamodbTable;
    }

    public void setDynamodbTable(String dynamodbTable) {
      this.dynamodbTable = dynamodbTable;
    }

    public boolean isDynamodbVerifyTable() {
      return dynamodbVerifyTable;
    }

    public void setDynamodbVerifyTable(boolean dynamodbVerifyTable) {
      this.dynamodbVerifyTable = dynamodbVerifyTable;
    }
  }

  /** The kinds of store. */
  public enum StoreType {
    /** In this JVM's memory: lost on restart, not shared between instances. */
    MEMORY,
    /** The application's {@code javax.sql.DataSource} (H2 or PostgreSQL), through sms-store-jdbc. */
    JDBC,
    /** The application's {@code DynamoDbClient}, through sms-store-dynamodb. */
    DYNAMODB
  }

  /** {@code sms.routing.*}. */
  public static class Routing {
    /** A routing YAML or JSON file ({@code file:routing.yaml}, {@code classpath:routing.yaml}); or give mappings. */
    private Resource config;
    /** How often idle timeouts, accept timeouts and waiting conversations are applied; 0 turns the sweeps off. */
    private Duration sweepInterval = Duration.ofSeconds(5);
    /** Per provider: whether the provider answers HELP/STOP itself (then the gateway does not). */
    private final Map<String, RoutingProvider> providers = new LinkedHashMap<>();
    /** The mappings: a business line each, with its numbers, queues, keywords and chat control. */
    private final List<RoutingMappingProperties> mappings = new ArrayList<>();

    public Resource getConfig() {
      return config;
    }

    public void setConfig(Resource config) {
      this.config = config;
    }

    public Duration getSweepInterval() {
      return sweepInterval;
    }

    public void setSweepInterval(Duration sweepInterval) {
      this.sweepInterval = sweepInterval;
    }

    public Map<String, RoutingProvider> getProviders() {
      return providers;
    }

    public List<RoutingMappingProperties> getMappings() {
      return mappings;
    }

    boolean isConfigured() {
      return config != null || !mappings.isEmpty();
    }
  }

  /** {@code sms.routing.providers.<name>.*}. */
  public static class RoutingProvider {
    /** Whether this provider answers HELP/STOP keywords itself (Twilio's Advanced Opt-Out does). */
    private Boolean answersKeywords;

    public Boolean getAnswersKeywords() {
      return answersKeywords;
    }

    public void setAnswersKeywords(Boolean answersKeywords) {
      this.answersKeywords = answersKeywords;
    }
  }

  /** {@code sms.webhooks.*}. */
  public static class Webhooks {
    /** Whether provider webhooks (Twilio, SNS) are mounted on the application's Spring MVC server. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }
}
