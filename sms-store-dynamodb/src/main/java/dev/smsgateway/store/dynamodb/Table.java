package dev.smsgateway.store.dynamodb;

import dev.smsgateway.Originator;
import dev.smsgateway.SmsTransportException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * The single table every DynamoDB store shares, its attribute names, and the value encodings. See
 * {@link DynamoDbStores} for the key design.
 */
final class Table {

  static final String PK = "pk";
  static final String SK = "sk";
  /** DynamoDB's native TTL attribute: epoch seconds; DynamoDB deletes the item some time after. */
  static final String TTL = "ttl";
  static final String GSI_TARGET = "byTarget";
  static final String GSI_TARGET_PK = "g1pk";
  static final String GSI_TARGET_SK = "g1sk";
  static final String GSI_IDLE = "byActivity";
  static final String GSI_IDLE_PK = "g2pk";
  static final String GSI_IDLE_SK = "g2sk";

  final DynamoDbClient client;
  final String name;

  Table(DynamoDbClient client, String name) {
    this.client = client;
    this.name = name;
  }

  /**
   * Runs one SDK call, turning an SDK failure into our typed, retryable transport error. A failed condition is an
   * expected outcome the caller handles, so it passes through as it is.
   */
  <T> T call(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (ConditionalCheckFailedException | TransactionCanceledException expected) {
      throw expected;
    } catch (SdkException e) {
      throw failure(operation, e);
    }
  }

  static SmsTransportException failure(String operation, SdkException e) {
    String code = e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
        ? ase.awsErrorDetails().errorCode() : null;
    return new SmsTransportException("DynamoDB store: " + operation + " failed: " + e.getMessage(), null, code, false,
        e);
  }

  static Map<String, AttributeValue> key(String pk, String sk) {
    Map<String, AttributeValue> key = new HashMap<>(4);
    key.put(PK, s(pk));
    key.put(SK, s(sk));
    return key;
  }

  /** A strongly consistent read: a gateway instance must see what another one wrote a moment ago. */
  Map<String, AttributeValue> get(String operation, String pk, String sk) {
    Map<String, AttributeValue> item = call(operation, () -> client.getItem(GetItemRequest.builder().tableName(name)
        .key(key(pk, sk)).consistentRead(true).build())).item();
    return item == null || item.isEmpty() ? null : item;
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  static void putIfNotNull(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, s(value));
    }
  }

  static String string(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  static long number(Map<String, AttributeValue> item, String name) {
    return Long.parseLong(item.get(name).n());
  }

  static Instant instant(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : fromNanos(Long.parseLong(v.n()));
  }

  // Instants are epoch nanoseconds in a number: exact round trips, and comparable in condition expressions.
  static long nanos(Instant instant) {
    try {
      return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    } catch (ArithmeticException e) {
      return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static Instant fromNanos(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /** The native TTL value for an expiry: epoch seconds, rounded up so DynamoDB never deletes a live item. */
  static AttributeValue ttl(Instant expiresAt) {
    long seconds = expiresAt.getEpochSecond() + (expiresAt.getNano() > 0 ? 1 : 0);
    return n(seconds);
  }

  /** A fixed-width, sortable text form of a time, for sort keys. */
  static String sortable(Instant instant) {
    return String.format("%019d", Math.max(0, nanos(instant)));
  }

  /** {@code KIND|COUNTRY|address}: the key alone does not tell a long code from a toll-free number. */
  static String originatorRef(Originator originator) {
    if (originator == null) {
      return null;
    }
    return originator.kind().name() + "|" + (originator.country() == null ? "" : originator.country()) + "|"
        + originator.address();
  }

  static Originator originator(String ref) {
    if (ref == null) {
      return null;
    }
    int first = ref.indexOf('|');
    int second = ref.indexOf('|', first + 1);
    String country = ref.substring(first + 1, second);
    return new Originator(Originator.Kind.valueOf(ref.substring(0, first)), ref.substring(second + 1),
        country.isEmpty() ? null : country);
  }

  /** Joins key parts; a part that could contain the separator is length-prefixed, so keys never collide. */
  static String part(String value) {
    return value.length() + ":" + value;
  }
}
