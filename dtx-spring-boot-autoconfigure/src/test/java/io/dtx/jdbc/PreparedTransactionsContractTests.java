package io.dtx.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.zaxxer.hikari.HikariDataSource;
import io.dtx.test.DatabaseServer;
import io.dtx.test.Pools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * A database's own two-phase commit on each vendor: a prepared transaction outlives its
 * connection and holds its row locks until another connection commits or rolls it back;
 * it is listed until then; a decision on an id not prepared says so; a transaction whose
 * statement failed is not prepared; a malformed id runs nothing. One subclass per vendor.
 */
abstract class PreparedTransactionsContractTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private HikariDataSource dataSource;

	private JdbcTemplate jdbc;

	private PreparedTransactions prepared;

	// this run's ids: the server lists every database's prepared transactions (MariaDB)
	private String prefix;

	abstract DatabaseServer server();

	@BeforeEach
	void prepare() {
		this.dataSource = Pools.of(server().emptyDatabase("dtx_prepared"), 4);
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.jdbc.execute("create table account (id varchar(16) primary key, balance integer not null)");
		this.jdbc.update("insert into account (id, balance) values ('alice', 100)");
		this.prepared = PreparedTransactions.of(DatabaseVendor.of(this.dataSource));
		this.prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
	}

	@AfterEach
	void rollBackWhatIsLeft() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			for (String globalId : this.prepared.prepared(connection, this.prefix)) {
				this.prepared.rollback(connection, globalId);
			}
		}
		this.dataSource.close();
	}

	@Test
	void aPreparedTransactionOutlivesItsConnectionAndHoldsItsLocksUntilAnotherCommitsIt() throws Exception {
		String globalId = this.prefix + "1";
		prepareDebit(globalId, 30);
		assertThat(balance()).as("not committed yet").isEqualTo(100);
		listed(globalId);

		CompletableFuture<Integer> writer = CompletableFuture
			.supplyAsync(() -> this.jdbc.update("update account set balance = balance + 1 where id = 'alice'"));
		await("the row's lock, held by the prepared transaction").atMost(TIMEOUT)
			.until(() -> this.jdbc.queryForObject(server().lockWaitersQuery("update account set balance = balance + 1"),
					Integer.class) == 1);
		assertThat(writer).isNotDone();

		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(this.prepared.commit(connection, globalId)).isTrue();
			assertThat(this.prepared.commit(connection, globalId)).as("once").isFalse();
		}
		assertThat(writer.get()).isOne();
		assertThat(balance()).isEqualTo(71);
		assertThat(listed()).isEmpty();
	}

	@Test
	void aPreparedTransactionRolledBackByAnotherConnectionLeavesNothing() throws Exception {
		String globalId = this.prefix + "2";
		prepareDebit(globalId, 30);
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(this.prepared.rollback(connection, globalId)).isTrue();
			assertThat(this.prepared.rollback(connection, globalId)).isFalse();
			assertThat(this.prepared.commit(connection, globalId)).as("rolled back, never committed").isFalse();
		}
		assertThat(balance()).isEqualTo(100);
		assertThat(listed()).isEmpty();
	}

	@Test
	void aTransactionWhoseStatementFailedIsNotPreparedAndTheConnectionServesAgain() throws Exception {
		String globalId = this.prefix + "3";
		try (Connection connection = this.dataSource.getConnection()) {
			this.prepared.begin(connection, globalId);
			try (var statement = connection.createStatement()) {
				statement.executeUpdate("update account set balance = balance - 30 where id = 'alice'");
				assertThatExceptionOfType(SQLException.class)
					.isThrownBy(() -> statement.executeUpdate("insert into account (id, balance) values ('alice', 1)"));
			}
			// MariaDB undid only the failed statement: preparing the rest is the caller's choice
			if (server() == DatabaseServer.POSTGRESQL) {
				assertThatExceptionOfType(SQLException.class)
					.isThrownBy(() -> this.prepared.prepare(connection, globalId));
			}
			else {
				this.prepared.prepare(connection, globalId);
				this.prepared.rollback(connection, globalId);
			}
			try (var statement = connection.createStatement()) {
				assertThat(statement.executeUpdate("update account set balance = balance + 0 where id = 'alice'"))
					.as("out of the transaction, in auto-commit")
					.isOne();
			}
		}
		assertThat(balance()).isEqualTo(100);
		assertThat(listed()).isEmpty();
	}

	@Test
	void anIdThatCouldCarrySqlIsRefusedAndRunsNothing() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> this.prepared.commit(connection, "x'; drop table account; --"))
				.withMessageContaining("no global id");
			assertThatIllegalArgumentException().isThrownBy(() -> this.prepared.begin(connection, "a".repeat(65)));
		}
		assertThat(balance()).isEqualTo(100);
	}

	private void prepareDebit(String globalId, int amount) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			this.prepared.begin(connection, globalId);
			try (var statement = connection.createStatement()) {
				statement.executeUpdate("update account set balance = balance - " + amount + " where id = 'alice'");
			}
			this.prepared.prepare(connection, globalId);
		}
		// its connection is back in the pool, as after the service that prepared it died
		this.dataSource.getHikariPoolMXBean().softEvictConnections();
	}

	private void listed(String globalId) {
		assertThat(listed()).containsExactly(globalId);
	}

	private java.util.List<String> listed() {
		try (Connection connection = this.dataSource.getConnection()) {
			return this.prepared.prepared(connection, this.prefix);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private int balance() {
		return this.jdbc.queryForObject("select balance from account where id = 'alice'", Integer.class);
	}

}
