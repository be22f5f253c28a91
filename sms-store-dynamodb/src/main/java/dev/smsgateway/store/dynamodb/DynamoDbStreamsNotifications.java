package dev.smsgateway.store.dynamodb;

import dev.smsgateway.events.ConversationEventBus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Reads the events table's DynamoDB stream on one thread and wakes the bus for the stream of each inserted event item
 * (the record's keys name it; the bus then reads the items themselves). Records are wake-up calls only, so shard
 * order and lineage do not matter and a missed record costs latency, not events: the shards open at start are read
 * from {@code LATEST} (the first attach catches up from the table), shards that appear later from
 * {@code TRIM_HORIZON}; an expired or trimmed iterator is replaced and every stream woken.
 *
 * <p>DynamoDB Streams allows 5 {@code GetRecords} calls per second per shard and advises at most two readers per
 * shard: every instance is one reader, polling each shard every {@code interval}, so size the interval with the
 * number of instances (three instances at 1 s poll 3 times a second).
 */
final class DynamoDbStreamsNotifications implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DynamoDbStreamsNotifications.class);
  /** How many polls between two looks for new shards (shards roll over about every 4 hours). */
  private static final int DESCRIBE_EVERY = 20;

  private final DynamoDbStreamsClient streams;
  private final String streamArn;
  private final ConversationEventBus bus;
  private final long intervalMillis;
  private final Thread thread;
  private final Map<String, String> iterators = new LinkedHashMap<>();
  private final Set<String> finished = new HashSet<>();
  private volatile boolean closed;
  private volatile boolean started;

  DynamoDbStreamsNotifications(DynamoDbStreamsClient streams, String streamArn, ConversationEventBus bus,
      long intervalMillis, String name) {
    this.streams = streams;
    this.streamArn = streamArn;
    this.bus = bus;
    this.intervalMillis = intervalMillis;
    this.thread = new Thread(this::run, "sms-events-streams-" + name);
    this.thread.setDaemon(true);
  }

  /** Takes iterators at {@code LATEST} on the open shards, then polls on its own thread. */
  void start() {
    for (Shard shard : shards()) {
      if (shard.sequenceNumberRange().endingSequenceNumber() == null) {
        iterators.put(shard.shardId(), iterator(shard.shardId(), ShardIteratorType.LATEST));
      } else {
        finished.add(shard.shardId());
      }
    }
    started = true;
    thread.start();
  }

  boolean started() {
    return started && thread.isAlive();
  }

  private void run() {
    int polls = 0;
    boolean failing = false;
    while (!closed) {
      try {
        if (++polls % DESCRIBE_EVERY == 0) {
          discoverShards();
        }
        pollShards();
        if (failing) {
          failing = false;
          bus.wakeAll();   // records may have been missed while the stream was unreachable
        }
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        if (!failing) {
          log.warn("conversation events: reading the DynamoDB stream failed, retrying: {}", e.toString());
        }
        failing = true;
      }
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void pollShards() {
    for (Map.Entry<String, String> entry : new ArrayList<>(iterators.entrySet())) {
      String shardId = entry.getKey();
      GetRecordsResponse response;
      try {
        response = streams.getRecords(GetRecordsRequest.builder().shardIterator(entry.getValue()).limit(1000).build());
      } catch (ExpiredIteratorException | TrimmedDataAccessException e) {
        iterators.put(shardId, iterator(shardId, ShardIteratorType.LATEST));
        bus.wakeAll();
        continue;
      }
      for (Record record : response.records()) {
        if (record.eventName() == OperationType.INSERT && record.dynamodb() != null) {
          AttributeValue pk = record.dynamodb().keys().get(DynamoDbConversationEventLog.PK);
          AttributeValue sk = record.dynamodb().keys().get(DynamoDbConversationEventLog.SK);
          if (pk != null && sk != null && !"0".equals(sk.n()) && !"-1".equals(sk.n())
              && pk.s().startsWith(DynamoDbConversationEventLog.PREFIX)) {
            bus.wake(pk.s().substring(DynamoDbConversationEventLog.PREFIX.length()));
          }
        }
      }
      if (response.nextShardIterator() == null) {   // the shard closed; its children are found by discoverShards
        iterators.remove(shardId);
        finished.add(shardId);
        discoverShards();
      } else {
        iterators.put(shardId, response.nextShardIterator());
      }
    }
  }

  private void discoverShards() {
    for (Shard shard : shards()) {
      if (!iterators.containsKey(shard.shardId()) && !finished.contains(shard.shardId())) {
        iterators.put(shard.shardId(), iterator(shard.shardId(), ShardIteratorType.TRIM_HORIZON));
      }
    }
  }

  private List<Shard> shards() {
    List<Shard> shards = new ArrayList<>();
    String start = null;
    do {
      DescribeStreamResponse r = streams.describeStream(DescribeStreamRequest.builder().streamArn(streamArn)
          .exclusiveStartShardId(start).build());
      shards.addAll(r.streamDescription().shards());
      start = r.streamDescription().lastEvaluatedShardId();
    } while (start != null);
    return shards;
  }

  private String iterator(String shardId, ShardIteratorType type) {
    return streams.getShardIterator(GetShardIteratorRequest.builder().streamArn(streamArn).shardId(shardId)
        .shardIteratorType(type).build()).shardIterator();
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
