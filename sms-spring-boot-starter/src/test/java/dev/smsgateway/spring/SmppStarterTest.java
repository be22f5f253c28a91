package dev.smsgateway.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.OutboundSms;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsGateway;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.smpp.SmppSmsProvider;
import dev.smsgateway.test.smsc.SmscSimulator;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The context starts from properties alone with an SMPP provider bound to the SMSC simulator (real jsmpp on loopback),
 * and the auto-configured gateway and ConversationService send through it and receive from it.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
    "sms.default-region=US",
    "sms.providers.smsc.type=smpp",
    "sms.providers.smsc.smpp.system-id=test",
    "sms.providers.smsc.smpp.window=4",
    "sms.providers.smsc.smpp.bindTimeout=5s",
    "sms.routing.mappings[0].code=support",
    "sms.routing.mappings[0].provider=smsc",
    "sms.routing.mappings[0].default-country=US",
    "sms.routing.mappings[0].chat-control.suppress-system-messages=true",
    "sms.routing.mappings[0].numbers[0].number=+14155550100",
    "sms.routing.mappings[0].numbers[0].display-name=ACME Support",
    "sms.routing.mappings[0].numbers[0].queue=support"})
class SmppStarterTest {

  static final SmscSimulator SMSC = SmscSimulator.builder().build().start();

  @DynamicPropertySource
  static void smsc(DynamicPropertyRegistry registry) {
    registry.add("sms.providers.smsc.smpp.host", SMSC::host);
    registry.add("sms.providers.smsc.smpp.port", SMSC::port);
    // a secret from a property source like any other (an environment variable in production)
    registry.add("sms.providers.smsc.smpp.password", SMSC::password);
  }

  @AfterAll
  static void stop() {
    SMSC.close();
  }

  @Autowired SmsGateway gateway;
  @Autowired ConversationService conversations;
  @Autowired SmsGatewayProviders providers;
  @Autowired RoutingConfiguration routing;
  @Autowired ConversationRecorder recorder;
  @Autowired SmsGatewayLifecycle lifecycle;

  @Test
  void providerFromPropertiesBindsAndTheGatewaySendsThroughIt() throws Exception {
    assertThat(providers.providers()).containsOnlyKeys("smsc");
    assertThat(providers.provider("smsc")).get().isInstanceOf(SmppSmsProvider.class);
    assertThat(lifecycle.isRunning()).isTrue();
    assertThat(SMSC.awaitBound(1, Duration.ofSeconds(10))).isTrue();

    SendReceipt receipt = gateway.send(OutboundSms.builder().to("(415) 555-0123").body("table ready")
        .idempotencyKey("spring-1").build()).get(10, TimeUnit.SECONDS);

    assertThat(receipt.provider()).isEqualTo("smsc");
    awaitText(SMSC, "table ready");
    assertThat(gateway.normalize("(415) 555-0100").e164()).isEqualTo("+14155550100");
  }

  @Test
  void conversationServiceIsBoundToTheGatewayAndRoutesReplies() throws Exception {
    assertThat(routing.mappings()).hasSize(1);
    assertThat(SMSC.awaitBound(1, Duration.ofSeconds(10))).isTrue();
    conversations.registerAgent("alice", 2, Set.of("support"));
    conversations.setPresence("alice", Presence.AVAILABLE);

    conversations.startOutbound("alice", "+14155550100", "(415) 555-0142", "your order shipped", "order-7")
        .get(10, TimeUnit.SECONDS);
    awaitText(SMSC, "your order shipped");

    SMSC.deliverMo("+14155550142", "+14155550100", "thanks, when?");
    ConversationRecorder.Message reply = recorder.awaitMessage(m -> m.text().equals("thanks, when?"),
        Duration.ofSeconds(10));
    assertThat(reply.from()).isEqualTo("+14155550142");
    assertThat(reply.handler()).isEqualTo("agent:alice");
  }

  static void awaitText(SmscSimulator smsc, String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!smsc.acceptedTexts().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the SMSC did not accept '" + text + "'; it has " + smsc.acceptedTexts());
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
