/**
 * AWS Lambda handlers for Amazon Connect contact flows, packaged as one jar
 * ({@code sms-connect-lambda-<version>-lambda.jar}):
 * <ul>
 *   <li>{@code dev.smsgateway.connect.lambda.TaskOriginationHandler::handleRequest}: an agent's Task (Name = the
 *       customer's number, Description = the text) becomes an SMS and an originator record;</li>
 *   <li>{@code dev.smsgateway.connect.lambda.ReplyLookupHandler::handleRequest}: the customer's reply, arriving in
 *       Connect's inbound flow, is matched to that record, for "Set working queue" by agent.</li>
 * </ul>
 * Both are configured from environment variables ({@link dev.smsgateway.connect.lambda.LambdaSettings}) and answer
 * flat string maps, as contact flows need. See docs/sms-connect-lambda.md for the set-up from nothing.
 */
package dev.smsgateway.connect.lambda;
