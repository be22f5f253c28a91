package dev.smsgateway.twilio.flex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twilio.exception.ApiException;
import com.twilio.rest.flexapi.v1.Channel;
import com.twilio.rest.flexapi.v1.Interaction;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness can fail: Prism refuses requests that break Twilio's descriptions, and the recording shows it. */
class PrismHarnessTest {

  @Test
  void prismRefusesARequestThatBreaksTheDescription() throws Exception {
    TwilioMocks.Recording http = TwilioMocks.get().recording();
    // FlexFlowSid must match ^FO[0-9a-fA-F]{32}$
    assertThatThrownBy(() -> Channel.creator("FO123", "id", "user", "chat").create(TwilioMocks.client(http)))
        .isInstanceOf(ApiException.class);
    assertThat(http.exchanges()).singleElement().satisfies(e -> {
      assertThat(e.passed()).isFalse();
      assertThat(e.status()).isIn(400, 422);
      assertThat(e.body()).contains("FlexFlowSid");
    });
    // and passes one that keeps it
    Interaction.creator(Map.of("type", "sms")).create(TwilioMocks.client(http));
    assertThat(http.exchanges().get(1).passed()).isTrue();
  }
}
