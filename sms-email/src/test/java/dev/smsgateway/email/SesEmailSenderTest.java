package dev.smsgateway.email;

import static dev.smsgateway.email.EmailWorld.ALICE;
import static dev.smsgateway.email.EmailWorld.SUPPORT;
import static dev.smsgateway.email.EmailWorld.SUPPORT_BOX;
import static dev.smsgateway.email.EmailWorld.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** The real SES v2 SDK client sends SendEmail to a loopback server that checks each request against AWS's model. */
@DisplayName("SesEmailSender (SES v2 SendEmail checked against the published model)")
class SesEmailSenderTest {

  static SesV2ModelServer ses;
  static SesV2Client client;

  @BeforeAll
  static void start() throws Exception {
    ses = new SesV2ModelServer();
    client = SesV2Client.builder().region(Region.US_EAST_1).endpointOverride(ses.uri())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")))
        .httpClientBuilder(AwsCrtHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)))
        .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofSeconds(10)))
        .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    ses.close();
  }

  @BeforeEach
  void clear() {
    ses.requests.clear();
    ses.failWithStatus = 0;
  }

  @Test
  @DisplayName("a customer's reply goes out as raw MIME with our Message-ID and threading headers, within the model")
  void replyThroughSes() throws Exception {
    try (EmailWorld world = new EmailWorld()) {
      EmailSender sender = SesEmailSender.builder().client(client).configurationSetName("sms-email").build();
      EmailOrigination origination = world.origination().replySender(sender).build();
      world.conversations.addListener(origination.replyListener(Runnable::run));
      MimeMessage agent = email(ALICE, SUPPORT_BOX, "+14155550123", "Hello from SES");
      origination.handle(agent);

      world.provider.deliverInbound(PhoneNumber.of("+14155550123"), Originator.longCode(PhoneNumber.of(SUPPORT)),
          "Caf\u00E9 at 3?");

      assertThat(ses.requests).singleElement().satisfies(r -> {
        assertThat(r.violations()).isEmpty();
        assertThat(r.body().path("ConfigurationSetName").asText()).isEqualTo("sms-email");
        String raw = new String(Base64.getDecoder().decode(r.body().path("Content").path("Raw").path("Data")
            .asText()), StandardCharsets.UTF_8);
        MimeMessage sent = EmailWorld.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(sent.getSubject()).isEqualTo("SMS from +14155550123 [ACME Support]");
        assertThat(sent.getHeader("In-Reply-To", null)).isEqualTo(agent.getMessageID());
        assertThat(sent.getMessageID()).startsWith("<sms.");
        assertThat(sent.getRecipients(MimeMessage.RecipientType.TO)[0].toString()).isEqualTo(ALICE);
        assertThat((String) sent.getContent()).startsWith("Caf\u00E9 at 3?");
      });
    }
  }

  @Test
  @DisplayName("SES's id is remembered, so an answer that references only SES's Message-ID continues the thread")
  void sesMessageIdThreads() throws Exception {
    EmailThreads threads = new EmailThreads();
    String sesId = SesEmailSender.builder().client(client).build().send(email(SUPPORT_BOX, ALICE, "s", "t"));
    EmailThreads.Key key = new EmailThreads.Key("+14155550123", SUPPORT);
    threads.remember(key, sesId);
    assertThat(threads.resolve(java.util.List.of(sesId + "@email.amazonses.com"), id -> java.util.Optional.empty()))
        .contains(key);
  }

  @Test
  @DisplayName("throttling is retryable and a rejection is not; neither message holds an address")
  void errors() {
    EmailSender sender = SesEmailSender.builder().client(client).build();
    MimeMessage m = email(SUPPORT_BOX, ALICE, "s", "t");
    ses.failWithStatus = 429;
    assertThatThrownBy(() -> sender.send(m)).isInstanceOfSatisfying(EmailSendException.class, e -> {
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).contains("TooManyRequestsException").doesNotContain(ALICE);
    });
    ses.failWithStatus = 400;
    assertThatThrownBy(() -> sender.send(m)).isInstanceOfSatisfying(EmailSendException.class,
        e -> assertThat(e.retryable()).isFalse());
  }

  @Test
  @DisplayName("the model check can fail: a Simple message without its required Body is refused")
  void validatorRefuses() {
    assertThatThrownBy(() -> client.sendEmail(r -> r.content(c -> c.simple(s -> s.subject(x -> x.data("s"))))))
        .hasMessageContaining("Content.Simple.Body is required");
  }
}
