package dev.smsgateway.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Runs one action on several threads released together; package-private helper of the kits. Stateless. */
final class Concurrently {

  private Concurrently() {}

  /** Runs {@code action(i)} for i in [0, threads) on {@code threads} threads that start at the same moment. */
  static <T> List<T> run(int threads, IntFunction<T> action) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return action.apply(index);
        }));
      }
      if (!ready.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("threads did not start");
      }
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } catch (Exception e) {
      throw new AssertionError("concurrent run failed: " + e, e);
    } finally {
      pool.shutdownNow();
    }
  }
}
