/**
 * The routing engine of sms-gateway: {@link dev.smsgateway.routing.RoutingConfiguration} (mappings of business numbers,
 * in code or from YAML/JSON), {@link dev.smsgateway.routing.RoutingEngine} (the
 * {@link dev.smsgateway.route.ConversationRouter}: keywords, open conversations, originator records, the number's
 * target), {@link dev.smsgateway.routing.KeywordClassifier} (STOP, START, HELP as carriers match them) and
 * {@link dev.smsgateway.routing.ConversationService} (agent-originated conversations, skill queues, lifecycle, events).
 * {@link dev.smsgateway.routing.ContactFlowDelivery} is the SPI {@code sms-connect} implements for Amazon Connect.
 *
 * <pre>{@code
 * ConversationService conversations = ConversationService.builder()
 *     .configuration(RoutingConfiguration.load(Path.of("routing.yaml")))
 *     .originatorStore(originators).optOutStore(optOuts).conversationStore(conversationStore)
 *     .build();
 * SmsGateway gateway = SmsGateway.builder().provider(provider).optOutStore(optOuts)
 *     .inboundHandler(conversations).listener(conversations.gatewayListener()).build();
 * conversations.bind(gateway);   // checks that every mapping names one of the gateway's providers
 * }</pre>
 *
 * <p>References: CTIA Messaging Principles and Best Practices (opt-out and opt-in keywords);
 * <a href="https://docs.aws.amazon.com/connect/latest/APIReference/API_StartChatContact.html">StartChatContact</a>.
 */
package dev.smsgateway.routing;
