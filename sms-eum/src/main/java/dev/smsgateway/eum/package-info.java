/**
 * AWS End User Messaging SMS (and legacy Amazon Pinpoint) for sms-gateway.
 *
 * <ul>
 *   <li>{@link dev.smsgateway.eum.EumSmsProvider}: sends with {@code SendTextMessage} (modes {@code EUM_SNS},
 *       {@code EUM_CONNECT}) or Pinpoint {@code SendMessages} ({@code PINPOINT_PROJECT}, deprecated by AWS), from the
 *       application's own async SDK client.
 *   <li>{@link dev.smsgateway.eum.SnsWebhookHandler}: the HTTPS endpoint an SNS topic posts two-way SMS and
 *       configuration-set SMS events to; verifies SNS signatures (versions 1 and 2), allow-lists topics, refuses
 *       replays and duplicates, confirms subscriptions.
 *   <li>{@link dev.smsgateway.eum.EumSmsProviderFactory}: {@code SmsProviders.create("eum", settings)}.
 * </ul>
 *
 * <pre>{@code
 * PinpointSmsVoiceV2AsyncClient client = PinpointSmsVoiceV2AsyncClient.builder()
 *     .region(Region.US_EAST_1)
 *     .httpClientBuilder(AwsCrtAsyncHttpClient.builder())
 *     .overrideConfiguration(o -> o.retryStrategy(SendOnce.strategy()))
 *     .build();
 * EumSmsProvider provider = EumSmsProvider.builder()
 *     .name("aws").smsVoiceClient(client)
 *     .originationIdentity("+12065550100").configurationSetName("sms-events")
 *     .build();
 * SnsWebhookHandler sns = SnsWebhookHandler.builder(provider)
 *     .allowTopicArns(List.of("arn:aws:sns:us-east-1:123456789012:sms-two-way",
 *         "arn:aws:sns:us-east-1:123456789012:sms-events"))
 *     .snsClient(SnsAsyncClient.builder().region(Region.US_EAST_1).build())
 *     .build();
 * httpServer.createContext("/aws/sns", sns.httpHandler());
 * }</pre>
 *
 * <p>AWS references: SendTextMessage
 * https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html; two-way SMS
 * https://docs.aws.amazon.com/sms-voice/latest/userguide/two-way-sms.html; SMS events
 * https://docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-format.html; SNS signatures
 * https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
 */
package dev.smsgateway.eum;
