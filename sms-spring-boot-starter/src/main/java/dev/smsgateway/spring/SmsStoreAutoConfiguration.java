package dev.smsgateway.spring;

import dev.smsgateway.SmsException;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.dynamodb.DynamoDbStores;
import dev.smsgateway.store.jdbc.JdbcStores;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The stores, by {@code sms.store.type}: {@code memory} (default), {@code jdbc} on the application's
 * {@link DataSource} (sms-store-jdbc; tables created or upgraded at start-up unless {@code sms.store.jdbc-migrate} is
 * false) or {@code dynamodb} on the application's {@link DynamoDbClient} (sms-store-dynamodb). Each of the four stores
 * is its own bean: an application bean of that type replaces it and the others stay.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnProperty(prefix = "sms", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(SmsProperties.class)
public class SmsStoreAutoConfiguration {

  static Clock clock(ObjectProvider<Clock> clock) {
    return clock.getIfUnique(Clock::systemUTC);
  }

  /** {@code sms.store.type=memory}: this JVM only. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "sms.store", name = "type", havingValue = "memory", matchIfMissing = true)
  static class Memory {

    @Bean
    @ConditionalOnMissingBean
    OptOutStore smsOptOutStore() {
      return new InMemoryOptOutStore();
    }

    @Bean
    @ConditionalOnMissingBean
    MessageStore smsMessageStore(ObjectProvider<Clock> clock) {
      return new InMemoryMessageStore(clock(clock));
    }

    @Bean
    @ConditionalOnMissingBean
    OriginatorStore smsOriginatorStore(ObjectProvider<Clock> clock) {
      return new InMemoryOriginatorStore(clock(clock));
    }

    @Bean
    @ConditionalOnMissingBean
    ConversationStore smsConversationStore(ObjectProvider<Clock> clock) {
      return new InMemoryConversationStore(clock(clock));
    }
  }

  /** {@code sms.store.type=jdbc}: the application's DataSource. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "sms.store", name = "type", havingValue = "jdbc")
  @ConditionalOnClass(JdbcStores.class)
  static class Jdbc {

    @Bean
    @ConditionalOnMissingBean
    JdbcStores smsJdbcStores(ObjectProvider<DataSource> dataSources, SmsProperties properties,
        ObjectProvider<Clock> clock) {
      DataSource dataSource = dataSources.getIfUnique();
      if (dataSource == null) {
        throw new SmsPropertyException("sms.store.type", "is jdbc, but the application has no (single) DataSource bean:"
            + " add spring-boot-starter-jdbc and spring.datasource.*, or define one", null);
      }
      return JdbcStores.builder().dataSource(dataSource).clock(clock(clock))
          .migrate(properties.getStore().isJdbcMigrate()).build();
    }

    @Bean
    @ConditionalOnMissingBean
    OptOutStore smsOptOutStore(JdbcStores stores) {
      return stores.optOutStore();
    }

    @Bean
    @ConditionalOnMissingBean
    MessageStore smsMessageStore(JdbcStores stores) {
      return stores.messageStore();
    }

    @Bean
    @ConditionalOnMissingBean
    OriginatorStore smsOriginatorStore(JdbcStores stores) {
      return stores.originatorStore();
    }

    @Bean
    @ConditionalOnMissingBean
    ConversationStore smsConversationStore(JdbcStores stores) {
      return stores.conversationStore();
    }
  }

  /** {@code sms.store.type=dynamodb}: the application's DynamoDbClient. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "sms.store", name = "type", havingValue = "dynamodb")
  @ConditionalOnClass({DynamoDbStores.class, DynamoDbClient.class})
  static class DynamoDb {

    @Bean
    @ConditionalOnMissingBean
    DynamoDbStores smsDynamoDbStores(ObjectProvider<DynamoDbClient> clients, SmsProperties properties,
        ObjectProvider<Clock> clock) {
      DynamoDbClient client = clients.getIfUnique();
      if (client == null) {
        throw new SmsPropertyException("sms.store.type", "is dynamodb, but the application has no (single) "
            + "DynamoDbClient bean: define one (the region, credentials and HTTP client are the application's)", null);
      }
      String table = properties.getStore().getDynamodbTable();
      if (table == null || table.isBlank()) {
        throw new SmsPropertyException("sms.store.dynamodb-table", "is required when sms.store.type is dynamodb",
            null);
      }
      try {
        return DynamoDbStores.builder().client(client).tableName(table.strip()).clock(clock(clock))
            .verifyTable(properties.getStore().isDynamodbVerifyTable()).build();
      } catch (SmsException e) {
        throw new SmsPropertyException("sms.store.dynamodb-table", "cannot be used: " + e.getMessage(), e);
      }
    }

    @Bean
    @ConditionalOnMissingBean
    OptOutStore smsOptOutStore(DynamoDbStores stores) {
      return stores.optOutStore();
    }

    @Bean
    @ConditionalOnMissingBean
    MessageStore smsMessageStore(DynamoDbStores stores) {
      return stores.messageStore();
    }

    @Bean
    @ConditionalOnMissingBean
    OriginatorStore smsOriginatorStore(DynamoDbStores stores) {
      return stores.originatorStore();
    }

    @Bean
    @ConditionalOnMissingBean
    ConversationStore smsConversationStore(DynamoDbStores stores) {
      return stores.conversationStore();
    }
  }
}
