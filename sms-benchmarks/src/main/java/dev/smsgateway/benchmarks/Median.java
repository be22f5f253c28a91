package dev.smsgateway.benchmarks;

import java.util.Arrays;

/** The median the benchmarks report (of per-round ratios or rates); docs/performance.md asks for medians, not means. */
public final class Median {

  private Median() {}

  /** The median of {@code values} (NaN when empty); the array is not changed. */
  public static double of(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
