package dev.smsgateway.store.jdbc;

/** The compliance engine's stores on one database: consent records, held messages, the audit trail, retention. */
final class JdbcComplianceStores {

  final JdbcConsentStore consents;
  final JdbcHeldMessageStore held;
  final JdbcAuditLog audit;
  final JdbcRetentionStore retention;

  JdbcComplianceStores(Jdbc jdbc) {
    this.consents = new JdbcConsentStore(jdbc);
    this.held = new JdbcHeldMessageStore(jdbc);
    this.audit = new JdbcAuditLog(jdbc);
    this.retention = new JdbcRetentionStore(jdbc);
  }
}
