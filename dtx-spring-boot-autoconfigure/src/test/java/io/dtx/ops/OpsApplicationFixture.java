package io.dtx.ops;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A running web application on its own H2 database, with the endpoint {@code dtx} and
 * health exposed on a random port, and the work an operator finds written straight into
 * dtx's tables: transactions in any state, dead outbox messages, exhausted notifications.
 */
final class OpsApplicationFixture implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final JdbcTemplate jdbc;

	private final String actuator;

	private OpsApplicationFixture(ConfigurableApplicationContext context) {
		this.context = context;
		this.jdbc = new JdbcTemplate(context.getBean(DataSource.class));
		// where management.server.port puts the actuator, else the application's port
		String port = context.getEnvironment().getProperty("local.management.port",
				context.getEnvironment().getProperty("local.server.port"));
		this.actuator = "http://localhost:" + port + "/actuator";
	}

	/**
	 * Starts the application, with {@code properties} added to (or overriding) its own.
	 */
	static OpsApplicationFixture start(String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.main.banner-mode=off",
				"spring.datasource.url=jdbc:h2:mem:ops-web-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"server.port=0", "management.endpoints.web.exposure.include=dtx,health",
				"management.endpoint.health.show-details=always", "dtx.recovery.interval=1h",
				"dtx.outbox.relay-enabled=false"));
		all.addAll(Arrays.asList(properties));
		return new OpsApplicationFixture(
				new SpringApplicationBuilder(OpsApplication.class).properties(all.toArray(String[]::new)).run());
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	JdbcTemplate jdbc() {
		return this.jdbc;
	}

	/**
	 * The application's own base URL, such as {@code http://localhost:41234}.
	 */
	String application() {
		return "http://localhost:" + this.context.getEnvironment().getProperty("local.server.port");
	}

	/**
	 * The actuator's base URL, such as {@code http://localhost:41234/actuator}.
	 */
	String actuator() {
		return this.actuator;
	}

	/**
	 * A global transaction of that mode, name and state, started 90 seconds ago.
	 */
	String transaction(String mode, String name, String state, Instant deadline) {
		return transaction(mode, name, state, deadline, Instant.now().minusSeconds(90));
	}

	String transaction(String mode, String name, String state, Instant deadline, Instant createdAt) {
		String xid = UUID.randomUUID().toString().replace("-", "");
		String lastError = state.equals("FAILED") ? "IllegalStateException: payment provider unavailable" : null;
		this.jdbc.update("insert into dtx_global_transaction (xid, mode, name, state, deadline, attempts,"
				+ " next_attempt_at, last_error, created_at, updated_at) values (?, ?, ?, ?, ?, 5, ?, ?, ?, ?)", xid,
				mode, name, state, Timestamp.from(deadline), Timestamp.from(deadline), lastError,
				Timestamp.from(createdAt), Timestamp.from(createdAt));
		return xid;
	}

	/**
	 * A failed saga: its compensation ran out of attempts a minute ago.
	 */
	String failedSaga(String name) {
		return transaction("SAGA", name, "FAILED", Instant.now().minusSeconds(60));
	}

	void deadMessage(String messageId) {
		this.jdbc.update("insert into dtx_outbox (message_id, topic, message_key, bucket, payload, state, attempts,"
				+ " next_attempt_at, last_error, created_at) values (?, 'orders', 'k', 0, X'00', 'DEAD', 5, ?,"
				+ " 'refused', ?)", messageId, now(), now());
	}

	void exhaustedNotification(String id) {
		this.jdbc.update("insert into dtx_notification (id, endpoint, type, payload, state, attempts, next_attempt_at,"
				+ " created_at) values (?, 'merchant', 'PAID', '{}', 'EXHAUSTED', 3, ?, ?)", id, now(), now());
	}

	/**
	 * The transaction's state in the log, or {@code deleted}.
	 */
	String state(String xid) {
		List<String> states = this.jdbc.queryForList("select state from dtx_global_transaction where xid = ?",
				String.class, xid);
		return states.isEmpty() ? "deleted" : states.get(0);
	}

	@Override
	public void close() {
		this.context.close();
	}

	private static Timestamp now() {
		return Timestamp.from(Instant.now());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class OpsApplication {

	}

}
