/**
 * The provider-neutral core of sms-gateway: numbers, encoding, the message model, the provider SPI, the error model
 * and {@link dev.smsgateway.SmsGateway}, the facade applications hold.
 *
 * <p>A gateway around one provider (any {@link dev.smsgateway.SmsProvider}: SMPP, Twilio, AWS End User Messaging,
 * or {@code RecordingSmsProvider} from {@code sms-test} in unit tests):
 *
 * <pre>{@code
 * SmsProvider provider = SmsProviders.create("smpp", "smpp-primary", settings); // Properties or Map
 * try (SmsGateway gateway = SmsGateway.builder()
 *     .provider(provider)
 *     .defaultRegion("US")                       // reads "(415) 555-0100" as +14155550100
 *     .throttle("smpp-primary", 50)              // SMS parts per second
 *     .retryPolicy(RetryPolicy.defaults())       // never blindly retries a possibly delivered send
 *     .listener(new GatewayListener() {
 *       public void onFailed(String messageId, SmsException error) { log.warn("{} failed: {}", messageId, error.getMessage()); }
 *     })
 *     .inboundHandler(sms -> router.route(sms))
 *     .build()) {
 *   gateway.start();
 *   SendReceipt receipt = gateway.send(OutboundSms.builder()
 *       .to("(415) 555-0100").from("+14155550199").body("Your table is ready")
 *       .idempotencyKey("booking-42-ready")
 *       .build()).join();
 * }
 * }</pre>
 *
 * <p>Errors are one sealed, unchecked tree rooted at {@link dev.smsgateway.SmsException}; a {@code null} argument to
 * a public method fails fast with {@code NullPointerException("name == null")}. Phone numbers are masked in every
 * {@code toString()} and log line.
 */
package dev.smsgateway;
