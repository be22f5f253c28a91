package dev.smsgateway.test;

import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every store compatibility kit shares: a {@link MutableClock} starting at {@link #START}, a fresh store created
 * with it before each check, and the store released after it. Extend one of the concrete kits, not this class.
 *
 * <p>Not thread-safe: JUnit creates an instance per test.
 *
 * @param <S> the store interface under test
 */
public abstract class StoreCompatibilityKit<S> {

  /** Where the test clock starts. */
  protected static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** The clock the store was created with; tests move it. */
  protected MutableClock clock;
  /** The store under test. */
  protected S store;

  StoreCompatibilityKit() {}

  /** A new, empty store that reads the time (if it needs it) from {@code clock}. */
  protected abstract S createStore(Clock clock);

  /** Releases the store after each test; closes it if it is {@link AutoCloseable}. */
  protected void closeStore(S store) throws Exception {
    if (store instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  @BeforeEach
  void createStoreUnderTest() {
    clock = new MutableClock(START);
    store = createStore(clock);
  }

  @AfterEach
  void closeStoreUnderTest() throws Exception {
    closeStore(store);
  }
}
