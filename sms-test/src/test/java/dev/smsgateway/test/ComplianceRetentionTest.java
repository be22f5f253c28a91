package dev.smsgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.compliance.AuditEvent;
import dev.smsgateway.compliance.Compliance;
import dev.smsgateway.compliance.ConsentMethod;
import dev.smsgateway.compliance.ConsentScopes;
import dev.smsgateway.compliance.InMemoryAuditLog;
import dev.smsgateway.compliance.InMemoryConsentStore;
import dev.smsgateway.compliance.InMemoryRetentionStore;
import dev.smsgateway.compliance.Purpose;
import dev.smsgateway.compliance.RetentionPolicy;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.MessageRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The compliance engine's retention policy: each period applied to its store, and the purge audited. */
class ComplianceRetentionTest {

  static final PhoneNumber CUSTOMER = PhoneNumber.of("+14155550100");

  final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  final InMemoryConversationStore conversations = new InMemoryConversationStore(clock);
  final InMemoryMessageStore messages = new InMemoryMessageStore(clock);
  final InMemoryAuditLog audit = new InMemoryAuditLog();

  @Test
  @DisplayName("applyRetention deletes messages and audit events older than their periods and audits the purge")
  void applies() {
    Compliance compliance = Compliance.builder().consentStore(new InMemoryConsentStore()).auditLog(audit)
        .clock(clock).retention(new RetentionPolicy(Duration.ofDays(90), Duration.ofDays(30), Duration.ofDays(365)),
            new InMemoryRetentionStore(conversations, messages)).build();
    compliance.grant(CUSTOMER, ConsentScopes.GLOBAL, Purpose.MARKETING, ConsentMethod.WEB_FORM, "form-1");
    messages.save(MessageRecord.accepted("m1", "smpp", CUSTOMER, Originator.longCode(PhoneNumber.of("+14155550199")),
        1, clock.instant()));

    clock.advance(Duration.ofDays(31));
    RetentionPolicy.Purged first = compliance.applyRetention();
    assertThat(first).isEqualTo(new RetentionPolicy.Purged(0, 1, 0));
    assertThat(messages.find("m1")).isEmpty();

    clock.advance(Duration.ofDays(366)); // the first purge's event is now older than 365 days too
    RetentionPolicy.Purged second = compliance.applyRetention();
    assertThat(second.auditEvents()).isEqualTo(2); // the grant and the first purge's own event
    assertThat(audit.between(Instant.EPOCH, clock.instant().plusSeconds(1))).singleElement()
        .satisfies(e -> {
          assertThat(e.type()).isEqualTo(AuditEvent.Type.PURGED);
          assertThat(e.reason()).startsWith("0 conversations, 0 message records, 2 audit events removed");
        });
  }

  @Test
  @DisplayName("a policy without periods removes nothing; bad periods and a missing store are refused at build")
  void configuration() {
    Compliance keepAll = Compliance.builder().consentStore(new InMemoryConsentStore()).clock(clock).build();
    assertThat(keepAll.applyRetention()).isEqualTo(new RetentionPolicy.Purged(0, 0, 0));
    assertThatThrownBy(() -> new RetentionPolicy(Duration.ZERO, null, null))
        .isInstanceOfSatisfying(SmsValidationException.class, e -> assertThat(e.field())
            .isEqualTo("retention.transcripts"));
    assertThatThrownBy(() -> Compliance.builder().retention(new RetentionPolicy(null, Duration.ofDays(1), null), null))
        .isInstanceOf(SmsConfigurationException.class).hasMessageContaining("RetentionStore");
  }
}
