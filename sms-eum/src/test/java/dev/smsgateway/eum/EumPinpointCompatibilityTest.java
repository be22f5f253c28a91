package dev.smsgateway.eum;

import org.junit.jupiter.api.DisplayName;

/**
 * The provider compatibility kit for legacy mode PINPOINT_PROJECT: sends are Pinpoint {@code SendMessages} through
 * the real SDK. Inbound two-way SMS reaches Pinpoint projects through SNS in the same JSON as EUM. Delivery reports
 * here use the EUM SMS event format on SNS; a real Pinpoint project streams its {@code _SMS.*} events to Kinesis or
 * EventBridge instead, which this module does not read (see docs/sms-eum.md).
 */
@DisplayName("EumSmsProvider (PINPOINT_PROJECT) compatibility")
class EumPinpointCompatibilityTest extends EumSmsProviderCompatibilityTest {

  @Override
  EumSmsProvider.Builder providerBuilder() {
    return EumSmsProvider.builder().name("pinpoint-kit").mode(EumMode.PINPOINT_PROJECT).pinpointClient(pinpoint)
        .applicationId("app-kit");
  }
}
