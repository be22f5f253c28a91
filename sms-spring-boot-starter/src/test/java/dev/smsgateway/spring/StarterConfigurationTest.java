package dev.smsgateway.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.SmsGateway;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.test.RecordingSmsProvider;
import dev.smsgateway.twilio.TwilioSmsProvider;
import dev.smsgateway.store.dynamodb.DynamoDbStores;
import dev.smsgateway.store.jdbc.JdbcStores;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Start-up from properties, start-up failures that name the wrong property, and overriding one bean while the rest
 * stays auto-configured. Twilio providers need no network to start, so these contexts start in milliseconds.
 */
class StarterConfigurationTest {

  static final String[] TWILIO = {
      "sms.providers.tw.type=twilio",
      "sms.providers.tw.twilio.account-sid=AC0123456789abcdef0123456789abcdef",
      "sms.providers.tw.twilio.auth-token=token-never-logged-5c1f",
      "sms.providers.tw.twilio.from=+14155550100"};

  final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
      SmsStoreAutoConfiguration.class, SmsRoutingAutoConfiguration.class, SmsGatewayAutoConfiguration.class));

  @Test
  void startsFromPropertiesAlone() {
    runner.withPropertyValues(TWILIO).withPropertyValues(
        "sms.routing.mappings[0].code=sales", "sms.routing.mappings[0].provider=tw",
        "sms.routing.mappings[0].default-country=US",
        "sms.routing.mappings[0].numbers[0].number=+14155550100",
        "sms.routing.mappings[0].numbers[0].display-name=Sales", "sms.routing.mappings[0].numbers[0].queue=sales")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(SmsGateway.class).hasSingleBean(ConversationService.class)
              .hasSingleBean(OptOutStore.class).hasSingleBean(MessageStore.class)
              .hasSingleBean(OriginatorStore.class).hasSingleBean(ConversationStore.class);
          assertThat(context.getBean(SmsGatewayProviders.class).provider("tw")).get()
              .isInstanceOf(TwilioSmsProvider.class);
          assertThat(context.getBean(SmsGatewayLifecycle.class).isRunning()).isTrue();
          assertThat(context.getBean(RoutingConfiguration.class).mapping("sales")).isPresent();
        });
  }

  @Test
  void routingFromAFile() {
    runner.withPropertyValues(TWILIO).withPropertyValues("sms.routing.config=classpath:routing-test.yaml")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(ConversationService.class);
          assertThat(context.getBean(RoutingConfiguration.class).mapping("sales")).isPresent();
        });
  }

  @Test
  void routingFileAndMappingsTogetherFail() {
    runner.withPropertyValues(TWILIO).withPropertyValues("sms.routing.config=classpath:routing-test.yaml",
            "sms.routing.mappings[0].code=other")
        .run(context -> assertFailure(context, "sms.routing.config", "are both set"));
  }

  @Test
  void withoutRoutingSettingsThereIsNoConversationService() {
    runner.withPropertyValues(TWILIO).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(SmsGateway.class).doesNotHaveBean(ConversationService.class);
    });
  }

  @Test
  void unknownProviderSettingFailsNamingIt() {
    runner.withPropertyValues(TWILIO).withPropertyValues("sms.providers.tw.twilio.acount-sid=AC1")
        .run(context -> assertFailure(context, "sms.providers.tw.twilio.acount-sid",
            "is not a setting of provider type twilio"));
  }

  @Test
  void missingRequiredProviderSettingFailsNamingIt() {
    runner.withPropertyValues("sms.providers.smsc.type=smpp", "sms.providers.smsc.smpp.system-id=esme")
        .run(context -> assertFailure(context, "sms.providers.smsc.smpp.host", "is required"));
  }

  @Test
  void malformedProviderSettingFailsNamingIt() {
    runner.withPropertyValues("sms.providers.smsc.type=smpp", "sms.providers.smsc.smpp.host=127.0.0.1",
        "sms.providers.smsc.smpp.system-id=esme", "sms.providers.smsc.smpp.port=twenty")
        .run(context -> assertFailure(context, "sms.providers.smsc.smpp.port", "must be a whole number"));
  }

  @Test
  void unknownProviderTypeFailsNamingIt() {
    runner.withPropertyValues("sms.providers.x.type=carrier-pigeon")
        .run(context -> assertFailure(context, "sms.providers.x.type", "unknown provider type 'carrier-pigeon'"));
  }

  @Test
  void settingsOfAnotherTypeFailNamingThem() {
    runner.withPropertyValues(TWILIO).withPropertyValues("sms.providers.tw.smpp.host=127.0.0.1")
        .run(context -> assertFailure(context, "sms.providers.tw.smpp.host", "but sms.providers.tw.type is twilio"));
  }

  @Test
  void numberRateAndProviderTypeAreRoutingSettings() {
    runner.withPropertyValues(TWILIO).withPropertyValues(
        "sms.routing.mappings[0].code=sales", "sms.routing.mappings[0].provider=tw",
        "sms.routing.mappings[0].numbers[0].number=+14155550100",
        "sms.routing.mappings[0].numbers[0].display-name=Sales", "sms.routing.mappings[0].numbers[0].queue=sales",
        "sms.routing.mappings[0].numbers[0].parts-per-second=2.5", "sms.routing.mappings[0].default-country=US")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(RoutingConfiguration.class).partsPerSecondByNumber()).containsValue(2.5);
        });
    String[] six = new String[6 * 3];
    for (int i = 0; i < 6; i++) {
      six[3 * i] = "sms.routing.mappings[0].numbers[" + i + "].number=+1415555010" + i;
      six[3 * i + 1] = "sms.routing.mappings[0].numbers[" + i + "].display-name=N" + i;
      six[3 * i + 2] = "sms.routing.mappings[0].numbers[" + i + "].queue=sales";
    }
    runner.withPropertyValues(TWILIO).withPropertyValues("sms.routing.mappings[0].code=sales",
            "sms.routing.mappings[0].provider=tw", "sms.routing.mappings[0].provider-type=EUM",
            "sms.routing.mappings[0].default-country=US")
        .withPropertyValues(six)
        .run(context -> assertFailure(context, "sms.routing.mappings[0].numbers", "5"));
  }

  @Test
  void wrongRoutingValueFailsNamingItsProperty() {
    runner.withPropertyValues(TWILIO).withPropertyValues(
        "sms.routing.mappings[0].code=sales", "sms.routing.mappings[0].delivery=SOMETIMES",
        "sms.routing.mappings[0].numbers[0].number=+14155550100",
        "sms.routing.mappings[0].numbers[0].display-name=Sales", "sms.routing.mappings[0].numbers[0].queue=sales")
        .run(context -> assertFailure(context, "sms.routing.mappings[0].delivery", "must be QUEUE or CONTACT_FLOW"));
  }

  @Test
  void unquotedPhoneNumberInRoutingFailsNamingIt() {
    runner.withPropertyValues(TWILIO).withPropertyValues(
        "sms.routing.mappings[0].code=sales", "sms.routing.mappings[0].numbers[0].number=14155550100",
        "sms.routing.mappings[0].numbers[0].display-name=Sales", "sms.routing.mappings[0].numbers[0].queue=sales")
        .run(context -> assertFailure(context, "sms.routing.mappings[0].numbers[0].number", "must be quoted"));
  }

  @Test
  void gatewaySettingNamingAnUnknownProviderFails() {
    runner.withPropertyValues(TWILIO).withPropertyValues("sms.failover.tw=backup")
        .run(context -> assertFailure(context, "sms.failover", "unknown provider 'backup'"));
  }

  @Test
  void misspeltKeyUnderSmsFailsNamingIt() {
    runner.withPropertyValues(TWILIO).withPropertyValues("sms.defualt-region=US").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("sms.defualt-region");
    });
  }

  @Test
  void disabledConfiguresNothing() {
    runner.withPropertyValues("sms.enabled=false").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(SmsGateway.class).doesNotHaveBean(OptOutStore.class)
          .doesNotHaveBean(SmsGatewayProviders.class);
    });
  }

  @Test
  void noProviderAtAllFailsNamingSmsProviders() {
    runner.run(context -> assertFailure(context, "sms.providers", "is empty"));
  }

  @Test
  void failureMessagesNeverCarryTheSecret() {
    runner.withPropertyValues(TWILIO).withPropertyValues("sms.providers.tw.twilio.threads=many").run(context -> {
      assertThat(context).hasFailed();
      Throwable t = context.getStartupFailure();
      while (t != null) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain("token-never-logged-5c1f");
        t = t.getCause();
      }
    });
  }

  @Test
  void overridingOneStoreKeepsTheRest() {
    InMemoryOptOutStore mine = new InMemoryOptOutStore();
    runner.withPropertyValues(TWILIO).withBean("myOptOuts", OptOutStore.class, () -> mine).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(OptOutStore.class)).isSameAs(mine);
      assertThat(context.getBean(MessageStore.class)).isInstanceOf(InMemoryMessageStore.class);
      assertThat(context.getBean(ConversationStore.class)).isInstanceOf(InMemoryConversationStore.class);
      assertThat(context).hasSingleBean(SmsGateway.class);
    });
  }

  @Test
  void aProviderBeanReplacesTheConfiguredOneOfItsNameAndTheOthersStay() {
    runner.withPropertyValues(TWILIO).withPropertyValues("sms.providers.smsc.type=smpp",
        "sms.providers.smsc.smpp.host=127.0.0.1", "sms.providers.smsc.smpp.system-id=esme")
        .withUserConfiguration(OwnProvider.class).run(context -> {
          assertThat(context).hasNotFailed();
          SmsGatewayProviders providers = context.getBean(SmsGatewayProviders.class);
          assertThat(providers.provider("smsc")).get().isSameAs(context.getBean(RecordingSmsProvider.class));
          assertThat(providers.provider("tw")).get().isInstanceOf(TwilioSmsProvider.class);
          assertThat(providers.type("smsc")).isEqualTo("bean");
        });
  }

  @Test
  void jdbcStoresUseTheApplicationsDataSource() {
    runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues(TWILIO).withPropertyValues("sms.store.type=jdbc",
            "spring.datasource.url=jdbc:h2:mem:starter-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(JdbcStores.class);
          assertThat(context.getBean(OptOutStore.class).getClass().getName()).contains(".jdbc.");
          assertThat(context.getBean(ConversationStore.class).getClass().getName()).contains(".jdbc.");
          assertThat(context.getBean(JdbcStores.class).schemaVersion()).isPositive();
        });
  }

  @Test
  void jdbcStoreWithoutDataSourceFailsNamingTheStoreType() {
    runner.withPropertyValues(TWILIO).withPropertyValues("sms.store.type=jdbc")
        .run(context -> assertFailure(context, "sms.store.type", "no (single) DataSource"));
  }

  @Test
  void dynamoDbStoresUseTheApplicationsClient() {
    runner.withPropertyValues(TWILIO).withPropertyValues("sms.store.type=dynamodb", "sms.store.dynamodb-table=sms",
            "sms.store.dynamodb-verify-table=false")
        .withBean(DynamoDbClient.class, () -> DynamoDbClient.builder().region(Region.US_EAST_1)
            .endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
            .build())
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(DynamoDbStores.class);
          assertThat(context.getBean(DynamoDbStores.class).tableName()).isEqualTo("sms");
          assertThat(context.getBean(MessageStore.class).getClass().getName()).contains(".dynamodb.");
        });
  }

  @Test
  void dynamoDbStoreWithoutTableFailsNamingIt() {
    runner.withPropertyValues(TWILIO).withPropertyValues("sms.store.type=dynamodb")
        .withBean(DynamoDbClient.class, () -> DynamoDbClient.builder().region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
            .build())
        .run(context -> assertFailure(context, "sms.store.dynamodb-table", "is required"));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnProvider {
    @Bean
    RecordingSmsProvider smsc() {
      return RecordingSmsProvider.named("smsc");
    }
  }

  static void assertFailure(AssertableApplicationContext context, String property, String problem) {
    assertThat(context).hasFailed();
    Throwable t = context.getStartupFailure();
    while (t != null && !(t instanceof SmsPropertyException)) {
      t = t.getCause();
    }
    assertThat(t).as("an SmsPropertyException in %s", context.getStartupFailure()).isNotNull();
    SmsPropertyException e = (SmsPropertyException) t;
    assertThat(e.property()).isEqualTo(property);
    assertThat(e.getMessage()).startsWith(property).contains(problem);
  }
}
