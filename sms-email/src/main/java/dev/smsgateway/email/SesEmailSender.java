package dev.smsgateway.email;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;

/**
 * Sends email with Amazon SES API v2 {@code SendEmail}, as raw MIME content, so that the message's own headers
 * (Message-ID, In-Reply-To, References) reach the agent unchanged.
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
 *
 * <pre>{@code
 * EmailSender ses = SesEmailSender.builder()
 *     .client(SesV2Client.builder().region(Region.US_EAST_1).httpClientBuilder(AwsCrtHttpClient.builder()).build())
 *     .configurationSetName("sms-email")   // optional
 *     .build();
 * }</pre>
 *
 * <p>SES sends raw messages to the recipients in their headers; the From address (a mailbox of
 * {@link EmailMailboxes}) must be a verified identity. SES replaces the Message-ID header with its own unless the
 * sending domain is configured otherwise; threading still holds because the agent's client answers with both ids in
 * References (see the module guide).
 *
 * <p>Thread-safe.
 */
public final class SesEmailSender implements EmailSender {

  private final SesV2Client client;
  private final String configurationSetName;

  private SesEmailSender(Builder b) {
    this.client = b.client;
    this.configurationSetName = b.configurationSetName;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String send(MimeMessage message) throws EmailSendException {
    Objects.requireNonNull(message, "message == null");
    byte[] raw;
    try {
      message.saveChanges();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      message.writeTo(out);
      raw = out.toByteArray();
    } catch (MessagingException | IOException e) {
      throw new EmailSendException("the message could not be written as MIME: " + e.getClass().getSimpleName(), false,
          null);
    }
    SendEmailRequest.Builder request = SendEmailRequest.builder()
        .content(c -> c.raw(r -> r.data(SdkBytes.fromByteArray(raw))));
    if (configurationSetName != null) {
      request.configurationSetName(configurationSetName);
    }
    try {
      return client.sendEmail(request.build()).messageId();
    } catch (SesV2Exception e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      boolean retryable = e.statusCode() >= 500 || e.statusCode() == 429 || "TooManyRequestsException".equals(code)
          || "LimitExceededException".equals(code);
      throw new EmailSendException("SES SendEmail failed: " + (code != null ? code : "HTTP " + e.statusCode()),
          retryable, null);
    } catch (SdkClientException e) {
      throw new EmailSendException("SES SendEmail did not complete: " + e.getClass().getSimpleName(), true, null);
    }
  }

  @Override
  public String toString() {
    return "SesEmailSender{configurationSet=" + configurationSetName + "}";
  }

  /** Builds {@link SesEmailSender}. Not thread-safe. */
  public static final class Builder {
    private SesV2Client client;
    private String configurationSetName;

    private Builder() {}

    /** The application's SES v2 client (its region is where mail is sent from). Required. */
    public Builder client(SesV2Client client) {
      this.client = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /** A configuration set for sending events. Default none. */
    public Builder configurationSetName(String configurationSetName) {
      this.configurationSetName = Objects.requireNonNull(configurationSetName, "configurationSetName == null");
      return this;
    }

    /**
     * Builds the sender.
     *
     * @throws IllegalStateException if no client was given
     */
    public SesEmailSender build() {
      if (client == null) {
        throw new IllegalStateException("client is required: an SesV2Client");
      }
      return new SesEmailSender(this);
    }
  }
}
