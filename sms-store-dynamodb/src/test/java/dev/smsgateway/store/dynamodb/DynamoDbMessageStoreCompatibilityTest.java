package dev.smsgateway.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smsgateway.DeliveryStatus;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.store.MessageRecord;
import dev.smsgateway.store.MessageStore;
import dev.smsgateway.store.ReportMerge;
import dev.smsgateway.test.MessageStoreCompatibilityKit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DynamoDbMessageStoreCompatibilityTest extends MessageStoreCompatibilityKit {

  private String table;

  @Override
  protected MessageStore createStore(Clock clock) {
    table = LocalDynamoDb.newTable();
    return DynamoDbStores.builder().client(LocalDynamoDb.client()).tableName(table).clock(clock).build().messageStore();
  }

  @Override
  protected void closeStore(MessageStore store) {
    LocalDynamoDb.deleteTable(table);
  }

  @Test
  @DisplayName("8 threads merging the same report (mergeReport and mergeReportAsync): exactly one answers changed")
  void concurrentDuplicateMergesChangeOnce() throws Exception {
    store.save(MessageRecord.accepted("m1", "primary", PhoneNumber.of("+14155550100"),
        Originator.longCode(PhoneNumber.of("+14155550199")), 1, clock.instant()));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Optional<ReportMerge>>> merges = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        boolean async = i % 2 == 0;
        merges.add(pool.submit(() -> {
          go.await();
          return async ? store.mergeReportAsync("m1", 0, DeliveryStatus.DELIVERED, null, clock.instant()).join()
              : store.mergeReport("m1", 0, DeliveryStatus.DELIVERED, null, clock.instant());
        }));
      }
      go.countDown();
      List<ReportMerge> answers = new ArrayList<>();
      for (Future<Optional<ReportMerge>> f : merges) {
        answers.add(f.get(30, TimeUnit.SECONDS).orElseThrow());
      }
      assertThat(answers).filteredOn(ReportMerge::changed).hasSize(1);
      assertThat(answers).allSatisfy(m -> assertThat(m.record().status()).isEqualTo(DeliveryStatus.DELIVERED));
    } finally {
      pool.shutdownNow();
    }
  }
}
