/**
 * Amazon Connect delivery for sms-gateway's routing engine: {@link dev.smsgateway.connect.AmazonConnectContactFlowDelivery}
 * starts chat contacts in contact flows for inbound SMS (StartChatContact) and outbound SMS contacts for
 * agent-originated messages on numbers linked to Amazon Connect (StartOutboundChatContact).
 *
 * <p>References: <a href="https://docs.aws.amazon.com/connect/latest/APIReference/API_StartChatContact.html">StartChatContact</a>,
 * <a href="https://docs.aws.amazon.com/connect/latest/APIReference/API_StartOutboundChatContact.html">StartOutboundChatContact</a>,
 * <a href="https://docs.aws.amazon.com/connect/latest/adminguide/setup-sms-messaging.html">SMS in Amazon Connect</a>.
 */
package dev.smsgateway.connect;
