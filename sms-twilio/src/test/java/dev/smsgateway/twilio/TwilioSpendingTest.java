package dev.smsgateway.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smsgateway.Originator;
import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsBudgetExceededException;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsProviders;
import dev.smsgateway.SpendingBudget;
import dev.smsgateway.store.InMemoryMessageStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Spending guards with Twilio: the price Twilio reports is what the budget counts; MaxPrice is obsolete. */
class TwilioSpendingTest {

  /** Twilio's published OpenAPI, at {@code ../shared/peer-data} from the repository root (the module's parent). */
  static final Path OPENAPI = Path.of("").toAbsolutePath().getParent()
      .resolve("../shared/peer-data/twilio/twilio_api_v2010.json").normalize();

  @Test
  @DisplayName("the budget counts the price Twilio reports (-0.01580 USD) instead of the configured estimate")
  void countsReportedPrice() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-03-10T09:00:00Z"), ZoneOffset.UTC);
    InMemoryMessageStore store = new InMemoryMessageStore(clock);
    try (FakeTwilioApi api = new FakeTwilioApi();
        SingleAttemptHttpClient.ClosableNetworkHttpClient http = api.client(5000)) {
      TwilioSmsProvider provider = TwilioSmsProvider.builder().name("twilio").accountSid(FakeTwilioApi.ACCOUNT)
          .authToken(FakeTwilioApi.TOKEN).httpClient(http).threads(2)
          .from(Originator.longCode(PhoneNumber.of("+14155550100"))).build();
      try (SmsGateway gateway = SmsGateway.builder().provider(provider).clock(clock).messageStore(store)
          .spendingBudget(SpendingBudget.builder().pricePerPart("twilio", new BigDecimal("0.01"))
              .providerLimit("twilio", new BigDecimal("0.05"), null).build())
          .build()) {
        gateway.start();
        for (int i = 0; i < 3; i++) {
          SendReceipt r = gateway.send(sms()).join();
          assertThat(r.details()).containsEntry("price", "-0.01580").containsEntry("priceUnit", "USD");
        }
        // Counted at the configured 0.01 a part, 3 sends would be 0.03 and a 4th would fit; at Twilio's price
        // they are 0.0474 and it does not.
        assertThat(store.counter("spend|USD|provider twilio|day:2026-03-10")).isEqualTo(47_400);
        CompletableFuture<SendReceipt> fourth = gateway.send(sms());
        assertThatThrownBy(fourth::join).isInstanceOf(CompletionException.class)
            .hasCauseInstanceOf(SmsBudgetExceededException.class)
            .hasMessageContaining("provider twilio has spent 0.0474 of its 0.05 USD limit for day 2026-03-10");
        assertThat(api.requests()).hasSize(3);
      }
    }
  }

  static OutboundSms sms() {
    return OutboundSms.builder().to("+14155550123").body("Your table is ready").build();
  }

  @Test
  @DisplayName("twilio.maxPrice is refused: Twilio's OpenAPI marks MaxPrice obsolete, without effect since 2024-06-03")
  void maxPriceIsObsolete() throws Exception {
    JsonNode spec = new ObjectMapper().readTree(OPENAPI.toFile());
    JsonNode maxPrice = spec.at("/paths/~12010-04-01~1Accounts~1{AccountSid}~1Messages.json/post/requestBody/content"
        + "/application~1x-www-form-urlencoded/schema/properties/MaxPrice");
    assertThat(maxPrice.path("description").asText()).startsWith("[OBSOLETE]").contains("2024-06-03");

    Map<String, String> s = new HashMap<>();
    s.put("twilio.accountSid", FakeTwilioApi.ACCOUNT);
    s.put("twilio.authToken", FakeTwilioApi.TOKEN);
    s.put("twilio.from", "+14155550100");
    s.put("twilio.maxPrice", "0.05");
    assertThatThrownBy(() -> SmsProviders.create("twilio", s::get)).isInstanceOf(SmsConfigurationException.class)
        .hasMessageContaining("twilio.maxPrice is not supported").hasMessageContaining("2024-06-03")
        .hasMessageContaining("SpendingBudget");
  }
}
