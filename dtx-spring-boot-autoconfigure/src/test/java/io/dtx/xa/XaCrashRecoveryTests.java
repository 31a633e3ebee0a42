package io.dtx.xa;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import io.dtx.test.ChildJvm;
import io.dtx.test.DatabaseServer;
import io.dtx.test.MariaDbPreparedBranch;
import io.dtx.xa.crash.CrashingMariaDbXaDataSource;
import io.dtx.xa.crash.CrashingXaDataSource;
import io.dtx.xa.crash.XaCrashApplication;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An XA transaction over PostgreSQL (orders) and MariaDB (stock) whose JVM is killed with
 * SIGKILL in the middle of its two-phase commit is finished as decided when the
 * application starts again: committed when the decision to commit was logged, rolled back
 * when it was not. The transaction runs in a child JVM with dtx's real auto-configuration;
 * the restart is a second child JVM with the same transaction log and transaction manager
 * id, which are all that recovery has to go on.
 * <p>
 * Atomikos prepares, then commits, the branches in the order they enlisted: orders first,
 * then stock. So the crash point sits on stock, the second branch, and each test checks
 * the state it left in both databases before the restart; a crash anywhere else would
 * prove nothing.
 */
class XaCrashRecoveryTests {

	private static final DatabaseServer POSTGRESQL = DatabaseServer.POSTGRESQL;

	private static final DatabaseServer MARIADB = DatabaseServer.MARIADB;

	private static final String ORDERS_DATABASE = "dtx_crash_orders";

	private static final String STOCK_DATABASE = "dtx_crash_stock";

	// prefix of every transaction manager id here: prepared branches with it are this class's,
	// in this work tree. MariaDB lists XA branches server-wide, and Atomikos recovers every
	// branch whose id starts with its own, so builds of other work trees must use another
	// prefix, none the start of another: the suffix, which holds no dash, sits before one.
	private static final String TRANSACTION_MANAGER_ID_PREFIX = "xa-crash" + shortSuffix() + "-";

	private static final Duration CRASH_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(45);

	private static final Duration SLOW_START = Duration.ofSeconds(3);

	@TempDir
	Path logDir;

	private final List<ChildJvm> children = new ArrayList<>();

	private boolean databasesCreated;

	@BeforeEach
	void createDatabases() {
		POSTGRESQL.assumeAvailable();
		MARIADB.assumeAvailable();
		// branches left by an earlier run that died would keep the databases from being dropped
		rollBackPreparedBranches();
		POSTGRESQL.recreateDatabase(ORDERS_DATABASE);
		MARIADB.recreateDatabase(STOCK_DATABASE);
		orders().execute("create table orders (id int primary key)");
		stock().execute("create table stock (item varchar(20) primary key, quantity int not null)");
		stock().update("insert into stock values ('widget', 10)");
		this.databasesCreated = true;
	}

	@AfterEach
	void killChildrenAndRollBackWhatTheyLeft() {
		this.children.forEach(ChildJvm::close);
		if (this.databasesCreated) {
			// after a failure, so that no lock outlives the test
			rollBackPreparedBranches();
		}
	}

	@Test
	void transactionKilledAfterTheCommitDecisionIsCommittedOnRestart() {
		String transactionManagerId = TRANSACTION_MANAGER_ID_PREFIX + "after";
		crash(transactionManagerId, "commit");
		// orders has committed; stock is prepared, and the decision is only in the log
		assertThat(orderIds()).containsExactly(1);
		assertThat(preparedInOrders()).isZero();
		assertThat(stockLeft()).isEqualTo(10);
		assertThat(preparedInStock(transactionManagerId)).hasSize(1);

		restart(transactionManagerId, () -> {
			assertThat(stockLeft()).isEqualTo(7);
			assertThat(preparedInStock(transactionManagerId)).isEmpty();
		});
		assertThat(orderIds()).containsExactly(1);
		assertThat(preparedInOrders()).isZero();
	}

	/**
	 * The same, when on restart the stock database answers only after a few recovery
	 * intervals: Atomikos forgets a logged commit decision as soon as a recovery scan
	 * succeeds on every resource registered at that moment, so a scan that ran before
	 * stock was registered used to erase the decision, and stock's prepared branch was
	 * then rolled back as one without a decision, while orders stayed committed.
	 */
	@Test
	void transactionKilledAfterTheCommitDecisionIsCommittedOnRestartWhenADatabaseIsSlowToStart() {
		String transactionManagerId = TRANSACTION_MANAGER_ID_PREFIX + "slow-start";
		crash(transactionManagerId, "commit");
		assertThat(orderIds()).containsExactly(1);
		assertThat(stockLeft()).isEqualTo(10);
		assertThat(preparedInStock(transactionManagerId)).hasSize(1);

		// three recovery intervals: time for scans that see orders only
		restart(transactionManagerId,
				List.of("-D" + CrashingXaDataSource.FIRST_CONNECTION_DELAY_PROPERTY + "=" + SLOW_START.toMillis()),
				List.of("--dtx.xa.datasources.stock.xa-data-source-class-name="
						+ CrashingMariaDbXaDataSource.class.getName()),
				() -> {
					assertThat(stockLeft()).isEqualTo(7);
					assertThat(preparedInStock(transactionManagerId)).isEmpty();
				});
		assertThat(orderIds()).containsExactly(1);
		assertThat(preparedInOrders()).isZero();
	}

	@Test
	void transactionKilledBeforeTheCommitDecisionIsRolledBackOnRestart() {
		String transactionManagerId = TRANSACTION_MANAGER_ID_PREFIX + "before";
		crash(transactionManagerId, "prepare");
		// orders is prepared; stock never was, so its server dropped the branch with the connection
		assertThat(preparedInOrders()).isOne();
		assertThat(orderIds()).isEmpty();
		assertThat(preparedInStock(transactionManagerId)).isEmpty();
		assertThat(stockLeft()).isEqualTo(10);

		restart(transactionManagerId, () -> assertThat(preparedInOrders()).isZero());
		assertThat(orderIds()).isEmpty();
		assertThat(stockLeft()).isEqualTo(10);
		assertThat(preparedInStock(transactionManagerId)).isEmpty();
	}

	/**
	 * Places the order in a child JVM that stops at the crash point of the stock branch,
	 * and kills it there.
	 */
	private void crash(String transactionManagerId, String crashPoint) {
		List<String> arguments = new ArrayList<>(applicationArguments(transactionManagerId));
		arguments.add("--dtx.xa.datasources.stock.xa-data-source-class-name="
				+ CrashingMariaDbXaDataSource.class.getName());
		ChildJvm child = start(transactionManagerId + "-crashed",
				List.of("-D" + CrashingXaDataSource.CRASH_POINT_PROPERTY + "=" + crashPoint), "place-order", arguments);
		child.awaitOutput(CrashingXaDataSource.MARKER + " in " + CrashingMariaDbXaDataSource.class.getSimpleName()
				+ " " + crashPoint, CRASH_TIMEOUT);
		child.kill();
	}

	/**
	 * Starts the application again, with nothing to do but start, and waits until its
	 * recovery has brought the databases to the expected state.
	 */
	private void restart(String transactionManagerId, ThrowingRunnable recovered) {
		restart(transactionManagerId, List.of(), List.of(), recovered);
	}

	private void restart(String transactionManagerId, List<String> jvmOptions, List<String> extraArguments,
			ThrowingRunnable recovered) {
		List<String> arguments = new ArrayList<>(applicationArguments(transactionManagerId));
		arguments.addAll(extraArguments);
		// each branch recovery finds, logged, so that a failure shows what it saw
		arguments.add("--logging.level.com.atomikos.recovery.xa=DEBUG");
		ChildJvm child = start(transactionManagerId + "-restarted", jvmOptions, "recover", arguments);
		// the time to recover counts from when the application runs: under load it may be slow to start
		child.awaitOutput(XaCrashApplication.STARTED, CRASH_TIMEOUT);
		try {
			await().atMost(RECOVERY_TIMEOUT)
				.failFast("the restarted application exited", () -> !child.isAlive())
				.untilAsserted(recovered);
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			throw new AssertionError("recovery did not finish the transaction\n" + child.describe(), ex);
		}
		child.stop();
	}

	private ChildJvm start(String name, List<String> jvmOptions, String action, List<String> arguments) {
		List<String> programArguments = new ArrayList<>();
		programArguments.add(action);
		programArguments.addAll(arguments);
		ChildJvm child = ChildJvm.start(getClass().getSimpleName() + "-" + name, jvmOptions, XaCrashApplication.class,
				programArguments);
		this.children.add(child);
		return child;
	}

	// The same for the crashing run and the restart: recovery finds the transaction by the
	// log directory and the transaction manager id. It commits a logged decision only once
	// the transaction's timeout has passed, and rolls back a branch it has no decision for
	// only max-timeout after it first saw it: short ones keep the test short.
	private List<String> applicationArguments(String transactionManagerId) {
		return List.of("--dtx.xa.transaction-manager-id=" + transactionManagerId, "--dtx.xa.log-dir=" + this.logDir,
				"--dtx.xa.default-timeout=5s", "--dtx.xa.max-timeout=5s", "--dtx.xa.recovery-interval=1s",
				"--dtx.xa.datasources.orders.url=" + POSTGRESQL.url(ORDERS_DATABASE),
				"--dtx.xa.datasources.orders.username=" + POSTGRESQL.username(),
				"--dtx.xa.datasources.orders.password=" + POSTGRESQL.password(),
				"--dtx.xa.datasources.stock.url=" + MARIADB.url(STOCK_DATABASE),
				"--dtx.xa.datasources.stock.username=" + MARIADB.username(),
				"--dtx.xa.datasources.stock.password=" + MARIADB.password(), "--logging.level.com.atomikos=WARN");
	}

	// the suffix, or a hash of it when it is long: transaction manager ids hold 30 characters
	private static String shortSuffix() {
		String suffix = DatabaseServer.suffix();
		if (suffix.length() <= 8) {
			return suffix;
		}
		CRC32 crc = new CRC32();
		crc.update(suffix.getBytes(StandardCharsets.UTF_8));
		return String.format("%08x", crc.getValue());
	}

	private List<Integer> orderIds() {
		return orders().queryForList("select id from orders order by id", Integer.class);
	}

	private int stockLeft() {
		return stock().queryForObject("select quantity from stock where item = 'widget'", Integer.class);
	}

	private int preparedInOrders() {
		return orders().queryForObject("select count(*) from pg_prepared_xacts where database = current_database()",
				Integer.class);
	}

	/**
	 * The global ids of the branches MariaDB holds prepared for the given transaction
	 * manager.
	 */
	private List<String> preparedInStock(String transactionManagerId) {
		return MariaDbPreparedBranch.of(transactionManagerId).stream().map(MariaDbPreparedBranch::globalId).toList();
	}

	private void rollBackPreparedBranches() {
		try {
			JdbcTemplate orders = orders();
			orders.queryForList("select gid from pg_prepared_xacts where database = current_database()", String.class)
				.forEach((gid) -> orders.execute("rollback prepared '" + gid + "'"));
		}
		catch (DataAccessException ex) {
			// no database, no branch
		}
		MariaDbPreparedBranch.of(TRANSACTION_MANAGER_ID_PREFIX).forEach((branch) -> {
			try {
				jdbc(MARIADB, "").execute(branch.rollbackStatement());
			}
			catch (DataAccessException ex) {
				// MariaDB rolls back a branch whose session has gone, yet reports XA_RBROLLBACK
			}
		});
	}

	private static JdbcTemplate orders() {
		return jdbc(POSTGRESQL, ORDERS_DATABASE);
	}

	private static JdbcTemplate stock() {
		return jdbc(MARIADB, STOCK_DATABASE);
	}

	private static JdbcTemplate jdbc(DatabaseServer server, String database) {
		return new JdbcTemplate(new DriverManagerDataSource(server.url(database), server.username(), server.password()));
	}

}
