package io.dtx.xa;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.dtx.jdbc.DatabaseVendor;
import io.dtx.jdbc.PreparedTransactions;
import io.dtx.tcc.crash.CrashPoints;
import io.dtx.tcc.crash.ServiceMain;
import io.dtx.test.ChildJvm;
import io.dtx.test.ChildJvms;
import io.dtx.test.DatabaseServer;
import io.dtx.test.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two-phase commit across two services, each a child JVM configured by command-line
 * properties only and killed with SIGKILL at a named point ({@link XaCrashBank}): the
 * paying bank on PostgreSQL, the receiving bank on MariaDB. Each test first checks what
 * the crash left, so that it proves the crash happened where it says, then starts the dead
 * service again and waits until every branch is committed or rolled back as the decision
 * says, with nothing left prepared in either database. The first test shows that 2PC
 * blocks: while the initiator is down after its decision, the participant's prepared
 * branch keeps its row locked.
 */
class XaCrashAcrossServicesTests {

	private static final DatabaseServer POSTGRESQL = DatabaseServer.POSTGRESQL;

	private static final DatabaseServer MARIADB = DatabaseServer.MARIADB;

	private static final String PAYING_DATABASE = "dtx_xa_crash_paying";

	private static final String RECEIVING_DATABASE = "dtx_xa_crash_receiving";

	// long enough for a loaded machine with two cores: a child JVM starts in 3 to 10 seconds
	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final HttpClient http = HttpClient.newHttpClient();

	private final List<ChildJvm> children = new ArrayList<>();

	private String testName;

	private int payingPort;

	private int receivingPort;

	@BeforeEach
	void createDatabases(TestInfo test) {
		POSTGRESQL.assumeAvailable();
		MARIADB.assumeAvailable();
		this.testName = getClass().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName();
		POSTGRESQL.recreateDatabase(PAYING_DATABASE);
		MARIADB.recreateDatabase(RECEIVING_DATABASE);
		XaBanks.createAccount(paying(), "alice");
		XaBanks.createAccount(receiving(), "bob");
		this.payingPort = Ports.free();
		this.receivingPort = Ports.free();
	}

	@AfterEach
	void killChildrenAndRollBackWhatIsLeft() throws Exception {
		this.children.forEach(ChildJvm::close);
		for (JdbcTemplate jdbc : List.of(paying(), receiving())) {
			for (String globalId : prepared(jdbc)) {
				jdbc.execute((Connection connection) -> statements(jdbc).rollback(connection, globalId));
			}
		}
	}

	@Test
	void initiatorKilledAfterItsDecisionLeavesBothBranchesPreparedAndLockedUntilItIsBack() throws Exception {
		ChildJvm receivingBank = crashPayingBankWithBothBranchesPrepared(XaCrashBank.AFTER_DECISION, "CONFIRMING");
		assertThat(balance(receiving(), "bob")).isEqualTo(XaBanks.OPENING_BALANCE);

		// two-phase commit blocks: bob's row stays locked while the initiator is down
		String writes = XaAcrossServicesContractTests.WRITER;
		CompletableFuture<Integer> writer = CompletableFuture
			.supplyAsync(() -> receiving().update(writes + " where id = 'bob'"));
		ChildJvms.awaitWhileAlive(List.of(receivingBank), TIMEOUT, "the writer did not queue behind the credit",
				() -> assertThat(receiving().queryForObject(MARIADB.lockWaitersQuery(writes), Integer.class))
					.isEqualTo(1));
		assertThat(writer).isNotDone();

		ChildJvm restarted = startPaying(null);
		awaitConverged(restarted, receivingBank, "CONFIRMED");
		assertThat(writer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
		assertThat(balance(paying(), "alice")).isEqualTo(XaBanks.OPENING_BALANCE - 30);
		assertThat(balance(receiving(), "bob")).isEqualTo(XaBanks.OPENING_BALANCE + 30 + 1);
	}

	@Test
	void initiatorKilledBeforeItsDecisionIsRolledBackEverywhereOnceItsDeadlinePassed() {
		ChildJvm receivingBank = crashPayingBankWithBothBranchesPrepared(XaCrashBank.BEFORE_DECISION, "TRYING");

		ChildJvm restarted = startPaying(null);
		awaitConverged(restarted, receivingBank, "CANCELLED");
		assertUntouched();
	}

	@Test
	void participantKilledAfterItPreparedIsRolledBackOnceItIsBack() {
		ChildJvm receivingBank = startReceiving(XaCrashBank.AFTER_PREPARE);
		ChildJvm payingBank = startPaying(null);
		awaitStarted(payingBank, receivingBank);
		transfer(30);
		crash(receivingBank, XaCrashBank.AFTER_PREPARE);
		assertThat(prepared(receiving())).as("the credit outlived its service").hasSize(1);

		ChildJvm restarted = startReceiving(null);
		awaitConverged(payingBank, restarted, "CANCELLED");
		assertUntouched();
	}

	// returns the receiving bank, which runs on
	private ChildJvm crashPayingBankWithBothBranchesPrepared(String crashPoint, String state) {
		ChildJvm receivingBank = startReceiving(null);
		ChildJvm payingBank = startPaying(crashPoint);
		awaitStarted(payingBank, receivingBank);
		transfer(30);
		crash(payingBank, crashPoint);
		assertThat(paying().queryForList("select state from dtx_global_transaction", String.class))
			.containsExactly(state);
		assertThat(prepared(paying())).as("the debit").hasSize(1);
		assertThat(prepared(receiving())).as("the credit").hasSize(1);
		return receivingBank;
	}

	private void assertUntouched() {
		assertThat(balance(paying(), "alice")).isEqualTo(XaBanks.OPENING_BALANCE);
		assertThat(balance(receiving(), "bob")).isEqualTo(XaBanks.OPENING_BALANCE);
		assertThat(paying().queryForList("select transfer from ledger", Integer.class)).isEmpty();
		assertThat(receiving().queryForList("select transfer from ledger", Integer.class)).isEmpty();
	}

	// the time to converge counts from when both services run: a restart may take long to start
	private void awaitConverged(ChildJvm payingBank, ChildJvm receivingBank, String decided) {
		awaitStarted(payingBank, receivingBank);
		ChildJvms.awaitWhileAlive(List.of(payingBank, receivingBank), TIMEOUT, "the transfer did not converge", () -> {
			assertThat(paying().queryForList("select state from dtx_global_transaction", String.class))
				.containsExactly(decided);
			assertThat(prepared(paying())).as("prepared in the paying bank's database").isEmpty();
			assertThat(prepared(receiving())).as("prepared in the receiving bank's database").isEmpty();
		});
	}

	private ChildJvm startPaying(String crashPoint) {
		return start("paying", this.payingPort, POSTGRESQL, PAYING_DATABASE, crashPoint,
				"--bank.payee.url=http://localhost:" + this.receivingPort);
	}

	private ChildJvm startReceiving(String crashPoint) {
		return start("receiving", this.receivingPort, MARIADB, RECEIVING_DATABASE, crashPoint);
	}

	// only properties, as a deployed service has; recovery looks often, so that a test waits seconds
	private ChildJvm start(String bank, int port, DatabaseServer server, String database, String crashPoint,
			String... extraArguments) {
		List<String> arguments = new ArrayList<>(List.of("--spring.application.name=" + bank,
				"--server.port=" + port, "--spring.datasource.url=" + server.url(database),
				"--spring.datasource.username=" + server.username(),
				"--spring.datasource.password=" + server.password(), "--spring.flyway.enabled=false",
				"--dtx.http.secret=" + XaBanks.SECRET, "--dtx.http.read-timeout=10s",
				"--dtx.recovery.interval=500ms", "--dtx.recovery.lease=2s", "--dtx.recovery.initial-backoff=200ms",
				"--dtx.recovery.max-backoff=1s",
				"--logging.level.io.dtx=INFO"));
		arguments.addAll(List.of(extraArguments));
		if (crashPoint != null) {
			arguments.add("--crash.point=" + crashPoint);
		}
		String name = this.testName + "-" + (this.children.size() + 1) + "-" + bank
				+ ((crashPoint != null) ? "-" + crashPoint : "");
		ChildJvm child = ChildJvm.start(name, List.of(), XaCrashBank.class, arguments);
		this.children.add(child);
		return child;
	}

	private static void awaitStarted(ChildJvm payingBank, ChildJvm receivingBank) {
		receivingBank.awaitOutput(ServiceMain.started("receiving"), START_TIMEOUT);
		payingBank.awaitOutput(ServiceMain.started("paying"), START_TIMEOUT);
	}

	// without waiting for the answer, which never comes when a service is killed
	private void transfer(int amount) {
		http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + this.payingPort + "/transfers?amount=" + amount))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.discarding());
	}

	private static void crash(ChildJvm child, String crashPoint) {
		child.awaitOutput(CrashPoints.reached(crashPoint), TIMEOUT);
		child.kill();
	}

	// the test's transaction's, by its id: MariaDB lists those of every database on the server
	private static List<String> prepared(JdbcTemplate jdbc) {
		List<String> xids = paying().queryForList("select xid from dtx_global_transaction", String.class);
		if (xids.isEmpty()) {
			return List.of();
		}
		return jdbc.execute((Connection connection) -> statements(jdbc).prepared(connection,
				PreparedBranches.PREFIX + xids.get(0) + "-"));
	}

	private static PreparedTransactions statements(JdbcTemplate jdbc) {
		return PreparedTransactions.of((jdbc == paying()) ? DatabaseVendor.POSTGRESQL : DatabaseVendor.MYSQL);
	}

	private static int balance(JdbcTemplate jdbc, String account) {
		return jdbc.queryForObject("select balance from account where id = ?", Integer.class, account);
	}

	private static final JdbcTemplate PAYING = POSTGRESQL.jdbcTemplate(PAYING_DATABASE);

	private static final JdbcTemplate RECEIVING = MARIADB.jdbcTemplate(RECEIVING_DATABASE);

	private static JdbcTemplate paying() {
		return PAYING;
	}

	private static JdbcTemplate receiving() {
		return RECEIVING;
	}

}
