/**
 * Durable stores on Amazon DynamoDB, for several gateway instances sharing state: one table, native TTL, conditional
 * writes. The key design is documented on {@link dev.smsgateway.store.dynamodb.DynamoDbStores}.
 *
 * <pre>{@code
 * DynamoDbStores stores = DynamoDbStores.builder().client(dynamoDbClient).tableName("sms-gateway").build();
 * OriginatorStore originators = stores.originatorStore();
 * }</pre>
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html">DynamoDB TTL</a>
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html">
 *     Condition expressions</a>
 */
package dev.smsgateway.store.dynamodb;
