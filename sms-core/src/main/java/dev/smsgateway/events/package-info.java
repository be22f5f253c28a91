/**
 * Conversation events across the instances of a deployment: {@link dev.smsgateway.events.ConversationEvents} (the
 * bus), {@link dev.smsgateway.events.ConversationEventLog} (what an engine stores: events ordered per stream, and a
 * cursor per stream) and {@link dev.smsgateway.events.ConversationEventBus} (the delivery rules, shared by every
 * engine). In memory here; PostgreSQL and H2 in sms-store-jdbc; DynamoDB in sms-store-dynamodb. They live in sms-core,
 * not sms-routing, so that the store modules and the compatibility kit in sms-test, which depend on sms-core only, can
 * implement and check them.
 */
package dev.smsgateway.events;
