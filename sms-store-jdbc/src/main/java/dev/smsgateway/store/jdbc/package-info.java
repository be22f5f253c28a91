/**
 * Durable stores on JDBC: H2 in file mode, the embedded default, and PostgreSQL, for several gateway instances
 * sharing state.
 *
 * <pre>{@code
 * try (JdbcStores stores = JdbcStores.h2File(Path.of("data"))) {
 *   OriginatorStore originators = stores.originatorStore();
 *   ...
 * }
 * }</pre>
 *
 * @see dev.smsgateway.store.jdbc.JdbcStores
 */
package dev.smsgateway.store.jdbc;
