package dev.smsgateway.eum;

import dev.smsgateway.Originator;
import dev.smsgateway.ProviderCapabilities;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.ProviderState;
import dev.smsgateway.SendReceipt;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.SmsTransportException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.SubmitRequest;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.pinpoint.PinpointAsyncClient;
import software.amazon.awssdk.services.pinpoint.model.AddressConfiguration;
import software.amazon.awssdk.services.pinpoint.model.ChannelType;
import software.amazon.awssdk.services.pinpoint.model.DirectMessageConfiguration;
import software.amazon.awssdk.services.pinpoint.model.MessageRequest;
import software.amazon.awssdk.services.pinpoint.model.MessageResult;
import software.amazon.awssdk.services.pinpoint.model.SMSMessage;
import software.amazon.awssdk.services.pinpoint.model.SendMessagesRequest;
import software.amazon.awssdk.services.pinpoint.model.SendMessagesResponse;
import software.amazon.awssdk.services.pinpointsmsvoicev2.PinpointSmsVoiceV2AsyncClient;
import software.amazon.awssdk.services.pinpointsmsvoicev2.model.SendTextMessageRequest;

/**
 * Sends SMS through AWS End User Messaging SMS ({@code SendTextMessage}) or, for accounts not migrated yet, legacy
 * Amazon Pinpoint ({@code SendMessages}). Built from the application's own async SDK client, so the region,
 * credentials and HTTP client are the application's choice; one provider instance talks to one region.
 *
 * <pre>{@code
 * PinpointSmsVoiceV2AsyncClient client = PinpointSmsVoiceV2AsyncClient.builder()
 *     .region(Region.US_EAST_1)
 *     .httpClientBuilder(AwsCrtAsyncHttpClient.builder())                  // no request bodies in DEBUG logs
 *     .overrideConfiguration(o -> o.retryStrategy(SendOnce.strategy()))  // see below
 *     .build();
 * EumSmsProvider provider = EumSmsProvider.builder()
 *     .name("aws-us")
 *     .mode(EumMode.EUM_SNS)
 *     .smsVoiceClient(client)
 *     .originationIdentity("+12065550100")
 *     .configurationSetName("sms-gateway-events")
 *     .build();
 * }</pre>
 *
 * <p><b>Retries.</b> {@code SendTextMessage} has no client token: if the SDK retries after a timeout, AWS may send the
 * SMS twice. Build the client with {@code retryStrategy(SendOnce.strategy())} (sms-aws-common: one attempt, and
 * unlike {@code AwsRetryStrategy.doNotRetry()} no DEBUG log of the failed attempt with the service's message); the
 * gateway's own retry policy then decides, and never retries blindly what may have been delivered. This provider logs a warning when it
 * is given a client that retries.
 *
 * <p><b>Correlation.</b> Our message id goes into {@code Context} under {@value EumErrors#CONTEXT_MESSAGE_ID}; AWS
 * echoes it in every delivery event, which {@link SnsWebhookHandler} turns into {@link dev.smsgateway.DeliveryReport}s.
 *
 * <p>Thread-safe. The application owns the SDK clients it passes in and closes them; {@link #close()} closes only
 * clients the provider created itself (through {@link EumSmsProviderFactory}).
 */
public final class EumSmsProvider implements SmsProvider {

  private static final Logger log = LoggerFactory.getLogger(EumSmsProvider.class);

  // SendTextMessage TimeToLive bounds: 5 seconds to 259,200 seconds (72 hours).
  static final long MIN_TTL_SECONDS = 5;
  static final long MAX_TTL_SECONDS = 259_200;
  // SendTextMessage MessageBody: at most 1,600 characters (API_SendTextMessage.html); Pinpoint SMSMessage the same.
  static final int MAX_BODY_CHARACTERS = 1600;

  /** The message class AWS bills and routes by. */
  public enum MessageType {
    /** Critical or time-sensitive messages (one-time passwords, agent conversations). */
    TRANSACTIONAL,
    /** Marketing messages; some countries restrict when and to whom they may go. */
    PROMOTIONAL
  }

  private final String name;
  private final EumMode mode;
  private final PinpointSmsVoiceV2AsyncClient smsVoiceClient;
  private final PinpointAsyncClient pinpointClient;
  private final String originationIdentity;
  private final String configurationSetName;
  private final String applicationId;
  private final MessageType messageType;
  private final String maxPrice;
  private final boolean dryRun;
  private final boolean messageFeedbackEnabled;
  private final String protectConfigurationId;
  private final Duration defaultTimeToLive;
  private final Clock clock;
  private final boolean ownsClients;
  private final ProviderCapabilities capabilities;

  private final AtomicReference<ProviderListener> listener = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<CompletableFuture<SendReceipt>> inFlight = ConcurrentHashMap.newKeySet();

  private EumSmsProvider(Builder b) {
    this.name = b.name;
    this.mode = b.mode;
    this.smsVoiceClient = b.smsVoiceClient;
    this.pinpointClient = b.pinpointClient;
    this.originationIdentity = b.originationIdentity;
    this.configurationSetName = b.configurationSetName;
    this.applicationId = b.applicationId;
    this.messageType = b.messageType;
    this.maxPrice = b.maxPrice == null ? null : maxPriceText(b.maxPrice);
    this.dryRun = b.dryRun;
    this.messageFeedbackEnabled = b.messageFeedbackEnabled;
    this.protectConfigurationId = b.protectConfigurationId;
    this.defaultTimeToLive = b.defaultTimeToLive;
    this.clock = b.clock;
    this.ownsClients = b.ownsClients;
    // 1,600 GSM-7 characters are 11 parts of 153.
    this.capabilities = new ProviderCapabilities(true, false, true, 11, EnumSet.allOf(Originator.Kind.class));
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** The configured mode. */
  public EumMode mode() {
    return mode;
  }

  @Override
  public ProviderCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public void start(ProviderListener listener) {
    Objects.requireNonNull(listener, "listener == null");
    if (closed.get()) {
      throw new IllegalStateException("provider " + name + " is closed");
    }
    if (!this.listener.compareAndSet(null, listener)) {
      throw new IllegalStateException("provider " + name + " was already started");
    }
    if (mode == EumMode.EUM_CONNECT) {
      log.info("provider {}: mode EUM_CONNECT: inbound SMS belong to Amazon Connect (its inbound flow and"
          + " sms-connect-lambda's ReplyLookupHandler route replies to the originating agent); this provider sends,"
          + " and its SNS webhook takes delivery events only", name);
    }
    notifyState(ProviderState.CONNECTED, "HTTPS client ready (" + mode + ")");
  }

  /** The listener given to {@link #start}, or null before start. Used by {@link SnsWebhookHandler}. */
  ProviderListener listener() {
    return closed.get() ? null : listener.get();
  }

  @Override
  public CompletableFuture<SendReceipt> send(SubmitRequest request) {
    Objects.requireNonNull(request, "request == null");
    if (closed.get()) {
      return CompletableFuture.failedFuture(new SmsTransportException("provider " + name + " is closed", name, null,
          false, null));
    }
    if (!request.mediaUrls().isEmpty()) {
      return CompletableFuture.failedFuture(new SmsValidationException("mediaUrls",
          "are not supported by provider " + name + " (SMS only; MMS needs SendMediaMessage)"));
    }
    if (request.body().length() > MAX_BODY_CHARACTERS) {
      return CompletableFuture.failedFuture(new SmsValidationException("body", "is too long for AWS: "
          + request.body().length() + " > " + MAX_BODY_CHARACTERS + " characters"));
    }
    if (request.body().isEmpty()) {
      return CompletableFuture.failedFuture(new SmsValidationException("body", "is empty"));
    }
    CompletableFuture<SendReceipt> result;
    try {
      result = mode == EumMode.PINPOINT_PROJECT ? sendPinpoint(request) : sendText(request);
    } catch (RuntimeException e) {
      // The SDK validates some input synchronously; nothing was sent.
      return CompletableFuture.failedFuture(EumErrors.map(e, name, request.to()));
    }
    inFlight.add(result);
    result.whenComplete((r, e) -> inFlight.remove(result));
    if (closed.get()) {
      failInFlight();
    }
    return result;
  }

  private CompletableFuture<SendReceipt> sendText(SubmitRequest request) {
    SendTextMessageRequest.Builder b = SendTextMessageRequest.builder()
        .destinationPhoneNumber(request.to().e164())
        .messageBody(request.body())
        .messageType(messageType.name())
        .context(Map.of(EumErrors.CONTEXT_MESSAGE_ID, request.messageId()));
    String identity = request.from().map(Originator::address).orElse(originationIdentity);
    if (identity != null) {
      b.originationIdentity(identity);
    }
    if (configurationSetName != null) {
      b.configurationSetName(configurationSetName);
    }
    timeToLiveSeconds(request).ifPresent(b::timeToLive);
    if (maxPrice != null) {
      b.maxPrice(maxPrice);
    }
    if (dryRun) {
      b.dryRun(true);
    }
    if (messageFeedbackEnabled) {
      b.messageFeedbackEnabled(true);
    }
    if (protectConfigurationId != null) {
      b.protectConfigurationId(protectConfigurationId);
    }
    CompletableFuture<SendReceipt> out = new CompletableFuture<>();
    smsVoiceClient.sendTextMessage(b.build()).whenComplete((response, failure) -> {
      if (failure != null) {
        out.completeExceptionally(EumErrors.map(failure, name, request.to()));
      } else if (response.messageId() == null) {
        out.completeExceptionally(new SmsTransportException("AWS answered SendTextMessage without a MessageId; the"
            + " message may have been sent", name, "MissingMessageId", true, null));
      } else {
        Map<String, String> details = dryRun ? Map.of("dryRun", "true") : Map.of();
        out.complete(new SendReceipt(request.messageId(), name, List.of(response.messageId()),
            request.plan().partCount(), clock.instant(), details));
      }
    });
    return out;
  }

  private CompletableFuture<SendReceipt> sendPinpoint(SubmitRequest request) {
    SMSMessage.Builder sms = SMSMessage.builder().body(request.body()).messageType(messageType.name());
    Optional<Originator> from = request.from();
    if (from.isPresent()) {
      if (from.get().kind() == Originator.Kind.ALPHANUMERIC) {
        sms.senderId(from.get().address());
      } else {
        sms.originationNumber(from.get().address());
      }
    } else if (originationIdentity != null) {
      sms.originationNumber(originationIdentity);
    }
    String address = request.to().e164();
    SendMessagesRequest call = SendMessagesRequest.builder()
        .applicationId(applicationId)
        .messageRequest(MessageRequest.builder()
            .addresses(Map.of(address, AddressConfiguration.builder().channelType(ChannelType.SMS).build()))
            .context(Map.of(EumErrors.CONTEXT_MESSAGE_ID, request.messageId()))
            .traceId(request.messageId())
            .messageConfiguration(DirectMessageConfiguration.builder().smsMessage(sms.build()).build())
            .build())
        .build();
    CompletableFuture<SendReceipt> out = new CompletableFuture<>();
    pinpointClient.sendMessages(call).whenComplete((response, failure) -> {
      if (failure != null) {
        out.completeExceptionally(EumErrors.map(failure, name, request.to()));
        return;
      }
      try {
        out.complete(pinpointReceipt(request, address, response));
      } catch (SmsException e) {
        out.completeExceptionally(e);
      }
    });
    return out;
  }

  private SendReceipt pinpointReceipt(SubmitRequest request, String address, SendMessagesResponse response) {
    MessageResult result = response.messageResponse() == null ? null : response.messageResponse().result().get(address);
    if (result == null) {
      throw new SmsTransportException("Pinpoint answered SendMessages without a result for the destination; the"
          + " message may have been sent", name, "MissingResult", true, null);
    }
    if (!"SUCCESSFUL".equals(result.deliveryStatusAsString())) {
      throw EumErrors.pinpointResult(result.deliveryStatusAsString(), result.statusCode(), result.statusMessage(),
          name, request.to());
    }
    Map<String, String> details = new LinkedHashMap<>();
    if (response.messageResponse().requestId() != null) {
      details.put("requestId", response.messageResponse().requestId());
    }
    String messageId = result.messageId() != null ? result.messageId() : response.messageResponse().requestId();
    if (messageId == null) {
      throw new SmsTransportException("Pinpoint answered SendMessages without a MessageId; the message may have been"
          + " sent", name, "MissingMessageId", true, null);
    }
    return new SendReceipt(request.messageId(), name, List.of(messageId), request.plan().partCount(), clock.instant(),
        details);
  }

  // SendTextMessage's request members as AWS's published model constrains them (pinpoint-sms-voice-v2, 2022-03-31)
  private static final java.util.regex.Pattern MAX_PRICE = java.util.regex.Pattern.compile("[0-9]{0,2}\\.[0-9]{1,5}");
  private static final java.util.regex.Pattern ORIGINATION_IDENTITY = java.util.regex.Pattern.compile("[A-Za-z0-9_:/+-]+");
  private static final java.util.regex.Pattern NAME_OR_ARN = java.util.regex.Pattern.compile("[A-Za-z0-9_:/-]+");
  private static final int MAX_IDENTIFIER_LENGTH = 256;

  /**
   * {@code price} as AWS's {@code MaxPrice} takes it: 2 to 8 characters matching {@code [0-9]{0,2}\.[0-9]{1,5}}, so
   * always with a decimal point ({@code 1} is sent as {@code "1.0"}), below 100 and to at most 5 decimal places.
   *
   * @throws SmsValidationException if the price is not positive or cannot be written that way
   */
  static String maxPriceText(BigDecimal price) {
    if (price.signum() <= 0) {
      throw new SmsValidationException("maxPrice", "must be positive: " + price.toPlainString());
    }
    BigDecimal p = price.stripTrailingZeros();
    if (p.scale() > 5) {
      throw new SmsValidationException("maxPrice", "has more than 5 decimal places, which AWS's MaxPrice cannot"
          + " express: " + price.toPlainString());
    }
    if (p.compareTo(BigDecimal.valueOf(100)) >= 0) {
      throw new SmsValidationException("maxPrice", "must be below 100 (USD per message part), which is all AWS's"
          + " MaxPrice can express: " + price.toPlainString());
    }
    String text = (p.scale() < 1 ? p.setScale(1) : p).toPlainString();
    if (!MAX_PRICE.matcher(text).matches()) {   // cannot happen after the checks above; kept as the model's own rule
      throw new SmsValidationException("maxPrice", "cannot be written as AWS's MaxPrice: " + price.toPlainString());
    }
    return text;
  }

  private static void checkIdentifier(String field, String value, java.util.regex.Pattern pattern) {
    if (value == null) {
      return;
    }
    if (value.length() > MAX_IDENTIFIER_LENGTH) {
      throw new SmsValidationException(field, "is longer than AWS allows (" + MAX_IDENTIFIER_LENGTH + " characters): "
          + value.length());
    }
    if (!pattern.matcher(value).matches()) {
      throw new SmsValidationException(field, "may hold only the characters AWS allows there (" + pattern.pattern()
          + "): '" + value + "'");
    }
  }

  private Optional<Integer> timeToLiveSeconds(SubmitRequest request) {
    Duration validity = request.validity().orElse(defaultTimeToLive);
    if (validity == null) {
      return Optional.empty();
    }
    long seconds = Math.max(MIN_TTL_SECONDS, Math.min(MAX_TTL_SECONDS, validity.toSeconds()));
    return Optional.of((int) seconds);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    failInFlight();
    if (ownsClients) {
      closeQuietly(smsVoiceClient);
      closeQuietly(pinpointClient);
    }
    notifyState(ProviderState.CLOSED, "closed");
  }

  private void failInFlight() {
    for (CompletableFuture<SendReceipt> f : inFlight) {
      f.completeExceptionally(new SmsTransportException("provider " + name + " was closed while the send was in"
          + " flight; the message may have been sent", name, null, true, null));
    }
  }

  private void notifyState(ProviderState state, String detail) {
    ProviderListener l = listener.get();
    if (l == null) {
      return;
    }
    try {
      l.onStateChange(name, state, detail);
    } catch (RuntimeException e) {
      log.warn("provider {}: state listener threw; ignored", name, e);
    }
  }

  private static void closeQuietly(SdkClient client) {
    if (client == null) {
      return;
    }
    try {
      client.close();
    } catch (RuntimeException e) {
      log.debug("closing {} failed", client.serviceName(), e);
    }
  }

  @Override
  public String toString() {
    return "EumSmsProvider{name=" + name + ", mode=" + mode + ", configurationSet=" + configurationSetName + "}";
  }

  /** Builds {@link EumSmsProvider}. Not thread-safe. */
  public static final class Builder {
    private String name = "eum";
    private EumMode mode = EumMode.EUM_SNS;
    private PinpointSmsVoiceV2AsyncClient smsVoiceClient;
    private PinpointAsyncClient pinpointClient;
    private String originationIdentity;
    private String configurationSetName;
    private String applicationId;
    private MessageType messageType = MessageType.TRANSACTIONAL;
    private BigDecimal maxPrice;
    private boolean dryRun;
    private boolean messageFeedbackEnabled;
    private String protectConfigurationId;
    private Duration defaultTimeToLive;
    private Clock clock = Clock.systemUTC();
    private boolean ownsClients;

    private Builder() {}

    /** The provider instance name. Default {@code eum}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name == null");
      return this;
    }

    /** The mode. Default {@link EumMode#EUM_SNS}. */
    public Builder mode(EumMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode == null");
      return this;
    }

    /** The application's AWS End User Messaging SMS client; required for {@code EUM_SNS} and {@code EUM_CONNECT}. */
    public Builder smsVoiceClient(PinpointSmsVoiceV2AsyncClient client) {
      this.smsVoiceClient = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /** The application's legacy Pinpoint client; required for {@code PINPOINT_PROJECT}. */
    public Builder pinpointClient(PinpointAsyncClient client) {
      this.pinpointClient = Objects.requireNonNull(client, "client == null");
      return this;
    }

    /**
     * The default sender when a request names none: a phone number (E.164), a phone number ARN, a pool id or ARN,
     * or a sender id. Pinpoint mode takes a phone number or short code here.
     */
    public Builder originationIdentity(String originationIdentity) {
      this.originationIdentity = blankToNull(originationIdentity);
      return this;
    }

    /** The configuration set whose event destination (an SNS topic) receives delivery events. */
    public Builder configurationSetName(String configurationSetName) {
      this.configurationSetName = blankToNull(configurationSetName);
      return this;
    }

    /** The Pinpoint project (application) id; required for {@code PINPOINT_PROJECT}. */
    public Builder applicationId(String applicationId) {
      this.applicationId = blankToNull(applicationId);
      return this;
    }

    /** Default {@link MessageType#TRANSACTIONAL}. */
    public Builder messageType(MessageType messageType) {
      this.messageType = Objects.requireNonNull(messageType, "messageType == null");
      return this;
    }

    /**
     * A spending guard: AWS refuses a message whose price per part exceeds this (USD). Sent as AWS's model writes
     * {@code MaxPrice}: with a decimal point ({@code 1} as {@code "1.0"}); {@link #build()} refuses a price that is not
     * positive, not below 100 or has more than 5 decimal places. Default none.
     */
    public Builder maxPrice(BigDecimal maxPrice) {
      this.maxPrice = maxPrice;
      return this;
    }

    /** Asks AWS to validate without sending ({@code DryRun}). Default false. */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** Enables {@code MessageFeedbackEnabled} (conversion feedback through PutMessageFeedback). Default false. */
    public Builder messageFeedbackEnabled(boolean messageFeedbackEnabled) {
      this.messageFeedbackEnabled = messageFeedbackEnabled;
      return this;
    }

    /** The SMS protect configuration to apply. Default none. */
    public Builder protectConfigurationId(String protectConfigurationId) {
      this.protectConfigurationId = blankToNull(protectConfigurationId);
      return this;
    }

    /**
     * The {@code TimeToLive} used when a request has no validity; clamped to 5 s .. 72 h, as AWS allows. Default
     * none (AWS's default of 72 h).
     */
    public Builder defaultTimeToLive(Duration defaultTimeToLive) {
      this.defaultTimeToLive = defaultTimeToLive;
      return this;
    }

    /** The clock for receipt times. Default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** Whether {@link EumSmsProvider#close()} closes the clients (true for clients the factory made). */
    Builder ownsClients(boolean ownsClients) {
      this.ownsClients = ownsClients;
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws SmsConfigurationException if the client the mode needs, or Pinpoint's application id, is missing
     */
    public EumSmsProvider build() {
      if (name.isBlank()) {
        throw new SmsValidationException("name", "is blank");
      }
      if (maxPrice != null) {
        maxPriceText(maxPrice);
      }
      if (mode != EumMode.PINPOINT_PROJECT) {
        checkIdentifier("originationIdentity", originationIdentity, ORIGINATION_IDENTITY);
        checkIdentifier("configurationSetName", configurationSetName, NAME_OR_ARN);
        checkIdentifier("protectConfigurationId", protectConfigurationId, NAME_OR_ARN);
      }
      if (defaultTimeToLive != null && (defaultTimeToLive.isNegative() || defaultTimeToLive.isZero())) {
        throw new SmsValidationException("defaultTimeToLive", "must be positive: " + defaultTimeToLive);
      }
      if (mode == EumMode.PINPOINT_PROJECT) {
        if (pinpointClient == null) {
          throw new SmsConfigurationException("provider " + name + ": mode PINPOINT_PROJECT needs pinpointClient");
        }
        if (applicationId == null) {
          throw new SmsConfigurationException("provider " + name + ": mode PINPOINT_PROJECT needs applicationId"
              + " (the Pinpoint project id)");
        }
        log.warn("provider {} uses legacy Amazon Pinpoint SendMessages (mode PINPOINT_PROJECT). Amazon Pinpoint takes"
            + " no new customers from 2026-05-20 and its console ends after October 2026: migrate to AWS End User"
            + " Messaging SMS (mode EUM_SNS; phone numbers, opt-out lists and configuration sets carry over).", name);
        warnIfRetrying(pinpointClient, "SendMessages");
      } else {
        if (smsVoiceClient == null) {
          throw new SmsConfigurationException("provider " + name + ": mode " + mode + " needs smsVoiceClient (a"
              + " PinpointSmsVoiceV2AsyncClient)");
        }
        warnIfRetrying(smsVoiceClient, "SendTextMessage");
      }
      return new EumSmsProvider(this);
    }

    private void warnIfRetrying(SdkClient client, String operation) {
      int attempts = maxAttempts(client);
      if (attempts != 1) {
        log.warn("provider {}: the {} client may make {} attempts per call. {} has no client token, so an SDK retry"
            + " after a timeout can send the SMS twice. Build the client with"
            + " overrideConfiguration(o -> o.retryStrategy(SendOnce.strategy())) (module sms-aws-common).",
            name,
            client.serviceName(), attempts < 0 ? "several (the SDK default)" : String.valueOf(attempts), operation);
      }
    }

    /** The client's configured max attempts, or -1 when it uses the SDK default (3 in standard mode). */
    static int maxAttempts(SdkClient client) {
      try {
        Optional<RetryStrategy> strategy = client.serviceClientConfiguration().overrideConfiguration().retryStrategy();
        return strategy.map(RetryStrategy::maxAttempts).orElse(-1);
      } catch (RuntimeException e) {
        return -1;
      }
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s.strip();
    }
  }
}
