package dev.smsgateway.connect.lambda;

import dev.smsgateway.SmsConfigurationException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The handlers' configuration, read from environment variables and checked when the function starts (its cold
 * start): every problem is an {@link SmsConfigurationException} naming the variable, so that the Lambda's init error
 * says what to fix.
 *
 * <table>
 *   <caption>variables</caption>
 *   <tr><th>variable</th><th>used by</th><th>meaning</th></tr>
 *   <tr><td>{@value #TABLE_NAME}</td><td>both</td><td>the DynamoDB table of the stores (required)</td></tr>
 *   <tr><td>{@value #ROUTING_CONFIG}</td><td>both</td><td>the routing configuration (YAML or JSON): a file path,
 *       or {@code classpath:name} for a file packaged in the jar (required)</td></tr>
 *   <tr><td>{@value #PROVIDER}</td><td>origination</td><td>the provider type: {@code smpp}, {@code twilio} or
 *       {@code eum} (required there)</td></tr>
 *   <tr><td>{@value #PROVIDER_NAME}</td><td>origination</td><td>the provider's name, as the mappings'
 *       {@code provider} gives it; default the type</td></tr>
 *   <tr><td>{@code <TYPE>_<SETTING>}</td><td>origination</td><td>a provider setting: {@code smpp.systemId} is
 *       {@code SMPP_SYSTEM_ID}, {@code twilio.authToken} is {@code TWILIO_AUTH_TOKEN}</td></tr>
 *   <tr><td>{@value #SECRET_ID}</td><td>origination</td><td>an AWS Secrets Manager secret (name or ARN) whose
 *       value is a JSON object of provider settings ({@code {"smpp.password": "..."}}); its values win over the
 *       environment</td></tr>
 *   <tr><td>{@value #SEND_TIMEOUT}</td><td>origination</td><td>how long a send may take before the handler answers
 *       {@code UNKNOWN}; ISO-8601, default {@code PT5S} (Connect waits at most 8 s for a function)</td></tr>
 *   <tr><td>{@value #CONNECT_QUEUES}</td><td>lookup</td><td>the Connect queue of each routing queue code:
 *       {@code support=<queue ARN or id>,billing=...}</td></tr>
 *   <tr><td>{@value #CONNECT_DEFAULT_QUEUE}</td><td>lookup</td><td>the queue (ARN or id) for numbers whose queue
 *       code is not in {@value #CONNECT_QUEUES}, and for unknown numbers</td></tr>
 *   <tr><td>{@value #CONNECT_INSTANCE_ID}</td><td>lookup</td><td>the Connect instance id; default: taken from each
 *       event's {@code InstanceARN}</td></tr>
 *   <tr><td>{@value #AGENT_CACHE_TTL}</td><td>lookup</td><td>how long a resolved agent ARN is reused; ISO-8601,
 *       default {@code PT5M}</td></tr>
 * </table>
 *
 * <p>{@link #toString()} lists variable names only, never values. Immutable and thread-safe.
 */
public final class LambdaSettings {

  /** The DynamoDB table. */
  public static final String TABLE_NAME = "SMS_TABLE_NAME";
  /** The routing configuration's location. */
  public static final String ROUTING_CONFIG = "SMS_ROUTING_CONFIG";
  /** The provider type. */
  public static final String PROVIDER = "SMS_PROVIDER";
  /** The provider's name. */
  public static final String PROVIDER_NAME = "SMS_PROVIDER_NAME";
  /** The Secrets Manager secret holding provider settings. */
  public static final String SECRET_ID = "SMS_SECRET_ID";
  /** The send timeout. */
  public static final String SEND_TIMEOUT = "SMS_SEND_TIMEOUT";
  /** Queue code to Connect queue. */
  public static final String CONNECT_QUEUES = "CONNECT_QUEUES";
  /** The fallback Connect queue. */
  public static final String CONNECT_DEFAULT_QUEUE = "CONNECT_DEFAULT_QUEUE";
  /** The Connect instance id. */
  public static final String CONNECT_INSTANCE_ID = "CONNECT_INSTANCE_ID";
  /** The agent cache's time to live. */
  public static final String AGENT_CACHE_TTL = "SMS_AGENT_CACHE_TTL";

  static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(5);
  static final Duration DEFAULT_AGENT_CACHE_TTL = Duration.ofMinutes(5);
  // Connect ends a Lambda invocation after 8 seconds (the "Invoke AWS Lambda function" block's limit).
  static final Duration MAX_SEND_TIMEOUT = Duration.ofSeconds(8);

  private static final Pattern PROVIDER_TYPE = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern QUEUE_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");
  private static final Pattern QUEUE_ARN = Pattern.compile("arn:aws[a-z-]*:connect:[a-z0-9-]+:\\d{12}:instance/"
      + "[A-Za-z0-9-]+/queue/[A-Za-z0-9-]+");
  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");

  private final Function<String, String> env;
  private final String tableName;
  private final String routingConfig;
  private final String providerType;
  private final String providerName;
  private final String secretId;
  private final Duration sendTimeout;
  private final Map<String, String> connectQueues;
  private final String defaultQueue;
  private final String instanceId;
  private final Duration agentCacheTtl;

  private LambdaSettings(Function<String, String> env) {
    this.env = env;
    this.tableName = required(TABLE_NAME, "the DynamoDB table of the originator records, opt-outs and messages");
    this.routingConfig = required(ROUTING_CONFIG,
        "the routing configuration file (a path, or classpath:routing.yaml for a file in the jar)");
    this.providerType = optional(PROVIDER).map(v -> v.toLowerCase(Locale.ROOT)).orElse(null);
    if (providerType != null && !PROVIDER_TYPE.matcher(providerType).matches()) {
      throw bad(PROVIDER, "is not a provider type (smpp, twilio or eum): '" + providerType + "'");
    }
    this.providerName = optional(PROVIDER_NAME).orElse(providerType);
    this.secretId = optional(SECRET_ID).orElse(null);
    this.sendTimeout = duration(SEND_TIMEOUT, DEFAULT_SEND_TIMEOUT);
    if (sendTimeout.compareTo(MAX_SEND_TIMEOUT) > 0) {
      throw bad(SEND_TIMEOUT, "is longer than the 8 seconds Amazon Connect waits for a function: " + sendTimeout);
    }
    this.connectQueues = queues();
    this.defaultQueue = optional(CONNECT_DEFAULT_QUEUE).map(q -> queue(CONNECT_DEFAULT_QUEUE, q)).orElse(null);
    this.instanceId = optional(CONNECT_INSTANCE_ID).orElse(null);
    if (instanceId != null && !INSTANCE_ID.matcher(instanceId).matches()) {
      throw bad(CONNECT_INSTANCE_ID, "is not a Connect instance id (the last part of the instance ARN)");
    }
    this.agentCacheTtl = duration(AGENT_CACHE_TTL, DEFAULT_AGENT_CACHE_TTL);
  }

  /** Reads and checks the process environment. */
  public static LambdaSettings fromEnvironment() {
    return of(System::getenv);
  }

  /**
   * Reads and checks the variables {@code env} answers (null for an unset variable).
   *
   * @throws SmsConfigurationException naming the first variable that is missing or wrong
   */
  public static LambdaSettings of(Function<String, String> env) {
    return new LambdaSettings(Objects.requireNonNull(env, "env == null"));
  }

  /** Like {@link #of(Function)}, from a map. */
  public static LambdaSettings of(Map<String, String> env) {
    Map<String, String> copy = Map.copyOf(env);
    return of(copy::get);
  }

  /** The environment variable that holds provider setting {@code key}: {@code smpp.systemId} is SMPP_SYSTEM_ID. */
  public static String variableOf(String key) {
    StringBuilder sb = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.' || c == '-') {
        sb.append('_');
      } else if (Character.isUpperCase(c)) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString();
  }

  /** The DynamoDB table. */
  public String tableName() {
    return tableName;
  }

  /** The routing configuration's location as given. */
  public String routingConfig() {
    return routingConfig;
  }

  /** The provider type, if set. */
  public Optional<String> providerType() {
    return Optional.ofNullable(providerType);
  }

  /** The provider type, or an error naming {@value #PROVIDER} when it is not set. */
  String requiredProviderType() {
    if (providerType == null) {
      throw new SmsConfigurationException("environment variable " + PROVIDER + " is not set: the provider that sends"
          + " the SMS (smpp, twilio or eum)");
    }
    return providerType;
  }

  /** The provider's name (default: its type). */
  public Optional<String> providerName() {
    return Optional.ofNullable(providerName);
  }

  /** The Secrets Manager secret id, if set. */
  public Optional<String> secretId() {
    return Optional.ofNullable(secretId);
  }

  /** How long a send may take. */
  public Duration sendTimeout() {
    return sendTimeout;
  }

  /** Routing queue code to Connect queue (ARN or id). */
  public Map<String, String> connectQueues() {
    return connectQueues;
  }

  /** The fallback Connect queue (ARN or id), if set. */
  public Optional<String> defaultQueue() {
    return Optional.ofNullable(defaultQueue);
  }

  /** The Connect instance id, if set. */
  public Optional<String> instanceId() {
    return Optional.ofNullable(instanceId);
  }

  /** How long a resolved agent is cached. */
  public Duration agentCacheTtl() {
    return agentCacheTtl;
  }

  /** A provider setting from the environment ({@link #variableOf}); null when unset. */
  String providerSetting(String key) {
    String value = env.apply(variableOf(key));
    return value == null || value.isBlank() ? null : value;
  }

  private String required(String name, String what) {
    return optional(name).orElseThrow(() -> new SmsConfigurationException("environment variable " + name
        + " is not set: " + what));
  }

  private Optional<String> optional(String name) {
    String value = env.apply(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private Duration duration(String name, Duration fallback) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    Duration d;
    try {
      d = Duration.parse(value.get());
    } catch (DateTimeParseException e) {
      throw bad(name, "is not an ISO-8601 duration such as PT5S: '" + value.get() + "'");
    }
    if (d.isNegative() || d.isZero()) {
      throw bad(name, "must be positive: " + d);
    }
    return d;
  }

  private Map<String, String> queues() {
    Optional<String> value = optional(CONNECT_QUEUES);
    Map<String, String> out = new LinkedHashMap<>();
    if (value.isEmpty()) {
      return Map.of();
    }
    for (String pair : value.get().split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw bad(CONNECT_QUEUES, "expects code=queue pairs separated by commas: '" + pair.strip() + "'");
      }
      String code = pair.substring(0, eq).strip();
      if (out.put(code, queue(CONNECT_QUEUES, pair.substring(eq + 1).strip())) != null) {
        throw bad(CONNECT_QUEUES, "names queue code '" + code + "' twice");
      }
    }
    return Map.copyOf(out);
  }

  private static String queue(String name, String value) {
    if (!QUEUE_ARN.matcher(value).matches() && !QUEUE_ID.matcher(value).matches()) {
      throw bad(name, "is neither a Connect queue ARN nor a queue id: '" + value + "'");
    }
    return value;
  }

  private static SmsConfigurationException bad(String name, String problem) {
    return new SmsConfigurationException("environment variable " + name + " " + problem);
  }

  @Override
  public String toString() {
    return "LambdaSettings{" + TABLE_NAME + ", " + ROUTING_CONFIG + ", provider=" + providerType + "}";
  }
}
