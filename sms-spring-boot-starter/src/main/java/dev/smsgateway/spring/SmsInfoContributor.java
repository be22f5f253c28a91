package dev.smsgateway.spring;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds {@code sms} to the info endpoint: the sms-gateway modules on the class path with their versions (from each
 * jar's Maven metadata; the starter's own version where a module runs from a build directory), and the providers with
 * their types. No setting values.
 *
 * <p>Thread-safe (computed once).
 */
final class SmsInfoContributor implements InfoContributor {

  /** Modules and a class each one has. */
  private static final Map<String, String> MODULES = new LinkedHashMap<>();

  static {
    MODULES.put("sms-core", "dev.smsgateway.SmsGateway");
    MODULES.put("sms-routing", "dev.smsgateway.routing.ConversationService");
    MODULES.put("sms-smpp", "dev.smsgateway.smpp.SmppSmsProvider");
    MODULES.put("sms-twilio", "dev.smsgateway.twilio.TwilioSmsProvider");
    MODULES.put("sms-eum", "dev.smsgateway.eum.EumSmsProvider");
    MODULES.put("sms-connect", "dev.smsgateway.connect.AmazonConnectContactFlowDelivery");
    MODULES.put("sms-store-jdbc", "dev.smsgateway.store.jdbc.JdbcStores");
    MODULES.put("sms-store-dynamodb", "dev.smsgateway.store.dynamodb.DynamoDbStores");
    MODULES.put("sms-micrometer", "dev.smsgateway.micrometer.SmsGatewayMetrics");
    MODULES.put("sms-spring-boot-starter", "dev.smsgateway.spring.SmsGatewayAutoConfiguration");
  }

  private final Map<String, Object> details;

  SmsInfoContributor(SmsGatewayProviders providers) {
    ClassLoader loader = SmsInfoContributor.class.getClassLoader();
    String starterVersion = starterVersion(loader);
    Map<String, String> modules = new LinkedHashMap<>();
    MODULES.forEach((module, marker) -> {
      if (present(marker, loader)) {
        modules.put(module, version(module, loader, starterVersion));
      }
    });
    Map<String, String> types = new LinkedHashMap<>();
    providers.providers().keySet().forEach(name -> types.put(name, providers.type(name)));
    this.details = Map.of("version", starterVersion, "modules", modules, "providers", types);
  }

  @Override
  public void contribute(Info.Builder builder) {
    builder.withDetail("sms", details);
  }

  private static boolean present(String className, ClassLoader loader) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static String version(String module, ClassLoader loader, String fallback) {
    String v = load(loader, "META-INF/maven/dev.smsgateway/" + module + "/pom.properties");
    return v != null ? v : fallback;
  }

  static String starterVersion(ClassLoader loader) {
    String v = load(loader, "dev/smsgateway/spring/sms-spring-boot-starter.properties");
    return v != null ? v : "unknown";
  }

  private static String load(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "SmsInfoContributor" + details;
  }
}
