package dev.smsgateway.connect.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smsgateway.NumberCheck;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsProviders;
import dev.smsgateway.routing.Mapping;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.dynamodb.DynamoDbStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * What one Lambda container builds once and every invocation reuses: the routing configuration, the DynamoDB
 * stores, the gateway around the configured provider, and the Connect client. The handlers' no-argument
 * constructors (the ones Lambda calls) use {@link #fromEnvironment()}; tests and custom wirings pass their own clients
 * through {@link #builder()}.
 *
 * <p>Everything a handler needs is built in its constructor, so a wrong setting fails the cold start with an
 * {@link SmsConfigurationException} naming the environment variable, before any event is taken. Clients this class
 * creates use the URLConnection HTTP client (the quickest to load) and the region and credentials Lambda provides
 * ({@code AWS_REGION}, the execution role).
 *
 * <p>Thread-safe. Secrets read from AWS Secrets Manager are kept in memory only, never logged.
 */
public final class LambdaResources implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LambdaResources.class);

  /**
   * How numbers already in E.164 are checked, in the routing configuration and by the gateway: the calling code and
   * the length, from the library's table, so that a cold start loads no libphonenumber metadata. Numbers in other
   * forms (a Task's Name as an agent typed it) are still read by libphonenumber in the mapping's country.
   */
  static final NumberCheck NUMBER_CHECK = NumberCheck.CALLING_CODE_LENGTH;

  private final LambdaSettings settings;
  private final Clock clock;
  private final RoutingConfiguration routing;
  private final BusinessNumbers numbers;
  private final DynamoDbClient dynamoDb;
  private final boolean ownsDynamoDb;
  private final DynamoDbStores stores;
  private final SmsProvider givenProvider;
  private final SecretsManagerClient givenSecrets;
  private ConnectClient connect;
  private boolean ownsConnect;
  private ConnectUsers users;
  private SmsGateway gateway;

  private LambdaResources(Builder b) {
    this.settings = b.settings != null ? b.settings : LambdaSettings.fromEnvironment();
    this.clock = b.clock;
    this.routing = loadRouting(settings.routingConfig());
    this.numbers = new BusinessNumbers(routing);
    this.ownsDynamoDb = b.dynamoDb == null;
    this.dynamoDb = b.dynamoDb != null ? b.dynamoDb
        : DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    try {
      this.stores = DynamoDbStores.builder().client(dynamoDb).tableName(settings.tableName()).clock(clock)
          .verifyTable(b.verifyTable).build();
    } catch (SmsConfigurationException e) {
      throw new SmsConfigurationException("environment variable " + LambdaSettings.TABLE_NAME + ": "
          + e.getMessage());
    }
    this.givenProvider = b.provider;
    this.givenSecrets = b.secretsManager;
    this.connect = b.connect;
  }

  /** Resources from the process environment, with clients of their own. */
  public static LambdaResources fromEnvironment() {
    return builder().build();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The settings. */
  public LambdaSettings settings() {
    return settings;
  }

  /** The routing configuration {@value LambdaSettings#ROUTING_CONFIG} names. */
  public RoutingConfiguration routing() {
    return routing;
  }

  /** The originator store on the DynamoDB table. */
  public OriginatorStore originatorStore() {
    return stores.originatorStore();
  }

  /** The DynamoDB stores. */
  public DynamoDbStores stores() {
    return stores;
  }

  /** The clock. */
  public Clock clock() {
    return clock;
  }

  BusinessNumbers numbers() {
    return numbers;
  }

  /**
   * The started gateway around the configured provider, with the table's opt-out and message stores (so that
   * opt-outs are honoured and a retried event is sent once, across containers). Built on the first call.
   *
   * @throws SmsConfigurationException naming the variable when the provider cannot be built
   */
  public synchronized SmsGateway gateway() {
    if (gateway == null) {
      SmsProvider provider = givenProvider != null ? givenProvider : createProvider();
      for (Mapping mapping : routing.mappings()) {
        if (!mapping.provider().equals(provider.name())) {
          if (givenProvider == null) {
            provider.close();
          }
          throw new SmsConfigurationException("mapping '" + mapping.code() + "' of " + LambdaSettings.ROUTING_CONFIG
              + " sends through provider '" + mapping.provider() + "', but this function's provider is named '"
              + provider.name() + "': set " + LambdaSettings.PROVIDER_NAME + " or the mapping's provider");
        }
      }
      SmsGateway g = SmsGateway.builder().provider(provider).clock(clock).numberCheck(NUMBER_CHECK)
          .optOutStore(stores.optOutStore()).messageStore(stores.messageStore()).build();
      g.start();
      gateway = g;
    }
    return gateway;
  }

  /** The Connect client; one of its own when none was given. */
  synchronized ConnectUsers connectUsers() {
    if (users == null) {
      if (connect == null) {
        connect = ConnectClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        ownsConnect = true;
      }
      users = new ConnectUsers(connect, clock, settings.agentCacheTtl());
    }
    return users;
  }

  private SmsProvider createProvider() {
    String type = settings.requiredProviderType();
    String name = settings.providerName().orElse(type);
    Map<String, String> secrets = readSecrets();
    Set<String> asked = new LinkedHashSet<>();
    Set<String> missing = new LinkedHashSet<>();
    try {
      return SmsProviders.create(type, name, key -> {
        asked.add(key);
        String value = secrets.containsKey(key) ? secrets.get(key) : settings.providerSetting(key);
        if (value == null) {
          missing.add(key);
        }
        return value;
      });
    } catch (SmsException e) {
      // The factories name settings (smpp.host); say which variable (or secret key) holds each one named.
      StringBuilder message = new StringBuilder(LambdaSettings.PROVIDER + "=" + type + ": " + e.getMessage());
      for (String key : asked) {
        if (e.getMessage() == null || !e.getMessage().contains(key)) {
          continue;
        }
        String variable = LambdaSettings.variableOf(key);
        if (missing.contains(key)) {
          message.append("; set environment variable ").append(variable);
          if (settings.secretId().isPresent()) {
            message.append(" or key ").append(key).append(" of secret ").append(LambdaSettings.SECRET_ID);
          }
        } else {
          message.append("; ").append(key).append(" comes from ").append(secrets.containsKey(key)
              ? "the secret " + LambdaSettings.SECRET_ID + " names" : "environment variable " + variable);
        }
      }
      throw new SmsConfigurationException(message.toString());
    }
  }

  private Map<String, String> readSecrets() {
    if (settings.secretId().isEmpty()) {
      return Map.of();
    }
    String id = settings.secretId().get();
    SecretsManagerClient client = givenSecrets != null ? givenSecrets
        : SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    String value;
    try {
      value = client.getSecretValue(GetSecretValueRequest.builder().secretId(id).build()).secretString();
    } catch (SdkException e) {
      // The exception's own message can quote the request; name the variable and the error type only.
      throw new SmsConfigurationException("environment variable " + LambdaSettings.SECRET_ID + ": secret '" + id
          + "' could not be read (" + e.getClass().getSimpleName() + "); the execution role needs"
          + " secretsmanager:GetSecretValue on it");
    } finally {
      if (givenSecrets == null) {
        client.close();
      }
    }
    if (value == null) {
      throw new SmsConfigurationException("environment variable " + LambdaSettings.SECRET_ID + ": secret '" + id
          + "' has no SecretString (binary secrets are not read)");
    }
    JsonNode tree;
    try {
      tree = new ObjectMapper().readTree(value);
    } catch (IOException e) {
      tree = null;
    }
    if (tree == null || !tree.isObject()) {
      throw new SmsConfigurationException("environment variable " + LambdaSettings.SECRET_ID + ": secret '" + id
          + "' is not a JSON object of provider settings such as {\"smpp.password\": \"...\"}");
    }
    Map<String, String> out = new HashMap<>();
    tree.fields().forEachRemaining(f -> {
      if (f.getValue().isValueNode() && !f.getValue().isNull()) {
        out.put(f.getKey(), f.getValue().asText());
      }
    });
    log.info("read {} provider settings from secret {} (values not logged)", out.size(), id);
    return Map.copyOf(out);
  }

  static RoutingConfiguration loadRouting(String location) {
    try {
      if (location.startsWith("classpath:")) {
        String resource = location.substring("classpath:".length()).replaceFirst("^/", "");
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
            ? Thread.currentThread().getContextClassLoader() : LambdaResources.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
          if (in == null) {
            throw new SmsConfigurationException("environment variable " + LambdaSettings.ROUTING_CONFIG + ": no "
                + resource + " in the function's jar");
          }
          String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          return resource.toLowerCase(Locale.ROOT).endsWith(".json") ? RoutingConfiguration.parseJson(text, NUMBER_CHECK)
              : RoutingConfiguration.parseYaml(text, NUMBER_CHECK);
        }
      }
      Path path = Path.of(location);
      if (!Files.isRegularFile(path)) {
        throw new SmsConfigurationException("environment variable " + LambdaSettings.ROUTING_CONFIG + ": no file "
            + path.toAbsolutePath());
      }
      return RoutingConfiguration.load(path, NUMBER_CHECK);
    } catch (SmsConfigurationException e) {
      throw e;
    } catch (SmsException e) {
      throw new SmsConfigurationException("environment variable " + LambdaSettings.ROUTING_CONFIG + " ("
          + location + "): " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      throw new SmsConfigurationException("environment variable " + LambdaSettings.ROUTING_CONFIG + " ("
          + location + ") could not be read: " + e.getMessage());
    }
  }

  /** Closes the gateway and the clients this object created. */
  @Override
  public synchronized void close() {
    if (gateway != null) {
      gateway.close();
    }
    if (ownsConnect && connect != null) {
      connect.close();
    }
    if (ownsDynamoDb) {
      dynamoDb.close();
    }
  }

  @Override
  public String toString() {
    return "LambdaResources{" + settings + "}";
  }

  /** Builds {@link LambdaResources}. Not thread-safe. */
  public static final class Builder {
    private LambdaSettings settings;
    private Clock clock = Clock.systemUTC();
    private DynamoDbClient dynamoDb;
    private ConnectClient connect;
    private SecretsManagerClient secretsManager;
    private SmsProvider provider;
    private boolean verifyTable = true;

    private Builder() {}

    /** The settings. Default {@link LambdaSettings#fromEnvironment()}. */
    public Builder settings(LambdaSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings == null");
      return this;
    }

    /** The clock for TTLs and the agent cache. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** The DynamoDB client (the caller closes it). Default: one of its own. */
    public Builder dynamoDbClient(DynamoDbClient client) {
      this.dynamoDb = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /** The Connect client (the caller closes it). Default: one of its own, made when first needed. */
    public Builder connectClient(ConnectClient client) {
      this.connect = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /** The Secrets Manager client for {@value LambdaSettings#SECRET_ID}. Default: one of its own, used once. */
    public Builder secretsManagerClient(SecretsManagerClient client) {
      this.secretsManager = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /** The provider, instead of one built from {@value LambdaSettings#PROVIDER} and its settings. */
    public Builder provider(SmsProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider == null");
      return this;
    }

    /** Whether building checks that the table exists (one DescribeTable call). Default true. */
    public Builder verifyTable(boolean verifyTable) {
      this.verifyTable = verifyTable;
      return this;
    }

    /**
     * Loads the routing configuration and builds the stores.
     *
     * @throws SmsConfigurationException naming the environment variable that is missing or wrong
     */
    public LambdaResources build() {
      return new LambdaResources(this);
    }
  }
}
