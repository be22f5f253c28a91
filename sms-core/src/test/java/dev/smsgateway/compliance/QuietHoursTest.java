package dev.smsgateway.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.SmsValidationException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The window arithmetic in the recipient's zone: boundaries, a window across midnight, daylight-saving changes. */
class QuietHoursTest {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final ZoneId HONOLULU = ZoneId.of("Pacific/Honolulu");

  @ParameterizedTest(name = "{0} in {1}: open={2}, opens at {3}")
  @CsvSource({
      // 08:00-21:00: open at 08:00 exactly, closed at 21:00 exactly
      "2026-03-10T12:00:00Z, America/New_York, true,  2026-03-10T12:00:00Z",
      "2026-03-10T11:59:59Z, America/New_York, false, 2026-03-10T12:00:00Z",
      "2026-03-11T01:00:00Z, America/New_York, false, 2026-03-11T12:00:00Z",
      // Honolulu has no DST: 08:00 HST is 18:00 UTC all year
      "2026-03-10T13:30:00Z, Pacific/Honolulu, false, 2026-03-10T18:00:00Z",
      "2026-07-10T13:30:00Z, Pacific/Honolulu, false, 2026-07-10T18:00:00Z",
      // the spring change (8 March 2026, 02:00 EST -> 03:00 EDT): 08:00 is 12:00 UTC, the day before 13:00 UTC
      "2026-03-08T06:30:00Z, America/New_York, false, 2026-03-08T12:00:00Z",
      "2026-03-07T06:30:00Z, America/New_York, false, 2026-03-07T13:00:00Z",
      // the autumn change (1 November 2026): 08:00 EST is 13:00 UTC
      "2026-11-01T05:30:00Z, America/New_York, false, 2026-11-01T13:00:00Z"})
  void window(Instant at, ZoneId zone, boolean open, Instant opens) {
    QuietHours q = QuietHours.builder().build();
    assertThat(q.isOpen(at, zone)).isEqualTo(open);
    assertThat(q.nextOpening(at, zone)).isEqualTo(opens);
  }

  @Test
  @DisplayName("a window across midnight is open late and early, closed in the day")
  void acrossMidnight() {
    QuietHours night = QuietHours.builder().window(LocalTime.of(22, 0), LocalTime.of(6, 0)).build();
    assertThat(night.isOpen(Instant.parse("2026-03-10T03:30:00Z"), NEW_YORK)).isTrue(); // 23:30 EDT
    assertThat(night.isOpen(Instant.parse("2026-03-10T09:30:00Z"), NEW_YORK)).isTrue(); // 05:30
    assertThat(night.isOpen(Instant.parse("2026-03-10T16:00:00Z"), NEW_YORK)).isFalse(); // 12:00
    assertThat(night.nextOpening(Instant.parse("2026-03-10T16:00:00Z"), NEW_YORK))
        .isEqualTo(Instant.parse("2026-03-11T02:00:00Z"));
  }

  @Test
  @DisplayName("a window opening inside the DST gap opens at the first valid local time after it")
  void openingInGap() {
    QuietHours q = QuietHours.builder().window(LocalTime.of(2, 30), LocalTime.of(21, 0)).build();
    // 8 March 2026 01:00 EST; 02:30 does not exist that day: it opens at 03:30 EDT = 07:30 UTC
    assertThat(q.nextOpening(Instant.parse("2026-03-08T06:00:00Z"), NEW_YORK))
        .isEqualTo(Instant.parse("2026-03-08T07:30:00Z"));
    assertThat(q.isOpen(Instant.parse("2026-03-08T07:30:00Z"), NEW_YORK)).isTrue();
  }

  @Test
  @DisplayName("an empty window is refused, naming the setting")
  void emptyWindow() {
    assertThatThrownBy(() -> QuietHours.builder().window(LocalTime.NOON, LocalTime.NOON))
        .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field())
            .isEqualTo("quietHours.window"));
    assertThat(HONOLULU).isNotNull();
  }
}
