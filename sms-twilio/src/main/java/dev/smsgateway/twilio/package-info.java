/**
 * Twilio Programmable Messaging for sms-gateway: {@link dev.smsgateway.twilio.TwilioSmsProvider} sends through
 * twilio-java, {@link dev.smsgateway.twilio.TwilioWebhookHandler} receives inbound messages and status callbacks.
 *
 * <pre>{@code
 * TwilioSmsProvider twilio = TwilioSmsProvider.builder()
 *     .accountSid("AC...").authToken(token)
 *     .from(Originator.longCode(PhoneNumber.of("+14155550100")))
 *     .publicBaseUrl(URI.create("https://sms.example.com"))
 *     .build();
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
 * server.createContext("/twilio/", twilio.httpServerHandler());
 * server.start();
 * // configure https://sms.example.com/twilio/inbound/<mapping> as the number's "A message comes in" webhook:
 * URI inbound = TwilioWebhookUrls.inbound(URI.create("https://sms.example.com"), "sales");
 * }</pre>
 *
 * <p>Vendor documentation: Messages resource https://www.twilio.com/docs/messaging/api/message-resource, webhook
 * security https://www.twilio.com/docs/usage/security, error dictionary https://www.twilio.com/docs/api/errors.
 */
package dev.smsgateway.twilio;
