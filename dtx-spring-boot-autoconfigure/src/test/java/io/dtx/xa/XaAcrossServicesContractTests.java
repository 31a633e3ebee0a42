package io.dtx.xa;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.dtx.coordinator.Recovery;
import io.dtx.core.DtxHeaders;
import io.dtx.core.GlobalTransaction;
import io.dtx.jdbc.DatabaseVendor;
import io.dtx.jdbc.PreparedTransactions;
import io.dtx.test.DatabaseServer;
import io.dtx.test.HotRows;
import io.dtx.test.Pools;
import io.dtx.test.Ports;
import io.dtx.web.RequestSigner;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Two-phase commit across two Spring Boot services on a real database server, each
 * service on a database of its own and configured by properties only ({@link XaBanks}):
 * both branches commit or neither does, as the initiator's caller hears; a prepared branch
 * holds its row lock until the decision; a participant away during phase two commits its
 * prepared branch once back; a branch in doubt whose initiator never decided is rolled
 * back; a branch that arrives after its rollback prepares nothing; forged phase-two
 * requests change nothing. Each test ends with no prepared transaction left in either
 * database. One subclass per database vendor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class XaAcrossServicesContractTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	// a write of the test's own, which queues behind a prepared branch
	static final String WRITER = "update account set balance = balance + 1";

	private final List<HikariDataSource> pools = new ArrayList<>();

	// the transactions this test ran: MariaDB lists the prepared transactions of the whole server
	private final Set<String> xids = new HashSet<>();

	private String[] payingDatabase;

	private String[] receivingDatabase;

	private JdbcTemplate paying;

	private JdbcTemplate receiving;

	private int receivingPort;

	private ConfigurableApplicationContext payingBank;

	private ConfigurableApplicationContext receivingBank;

	abstract DatabaseServer server();

	// the services live as long as the class: each test starts from the same rows
	@BeforeAll
	void startBanks() {
		this.payingDatabase = server().emptyDatabase("dtx_xa_paying");
		this.receivingDatabase = server().emptyDatabase("dtx_xa_receiving");
		this.paying = jdbc(this.payingDatabase);
		this.receiving = jdbc(this.receivingDatabase);
		XaBanks.createAccount(this.paying, "alice");
		XaBanks.createAccount(this.receiving, "bob");
		this.receivingPort = Ports.free();
		this.receivingBank = startReceivingBank();
		this.payingBank = new SpringApplicationBuilder(XaBanks.PayingBank.class).properties(XaBanks.common("paying"))
			.properties(dataSource(this.payingDatabase))
			.properties("server.port=0", "bank.payee.url=http://localhost:" + this.receivingPort)
			.run();
	}

	@BeforeEach
	void openAccounts() {
		if (!this.receivingBank.isActive()) {
			this.receivingBank = startReceivingBank();
		}
		transfers().afterCredit(() -> {
		});
		for (JdbcTemplate jdbc : List.of(this.paying, this.receiving)) {
			jdbc.update("update account set balance = ?", XaBanks.OPENING_BALANCE);
			for (String table : List.of("ledger", "dtx_global_transaction", "dtx_participant", "dtx_branch_fence")) {
				jdbc.update("delete from " + table);
			}
		}
	}

	// what a failed test left prepared would hold its rows' locks for the next
	@AfterEach
	void rollBackWhatIsPrepared() {
		rollBackPrepared(this.paying);
		rollBackPrepared(this.receiving);
		this.xids.clear();
	}

	@AfterAll
	void stopBanks() {
		close(this.payingBank);
		close(this.receivingBank);
		this.pools.forEach(HikariDataSource::close);
	}

	@Test
	void returningCommitsTheBranchesOfBothServices() {
		assertThat(transfers().transfer(1, 30, null)).isEqualTo("transferred");
		assertThat(balance(this.paying, "alice")).isEqualTo(XaBanks.OPENING_BALANCE - 30);
		assertThat(balance(this.receiving, "bob")).isEqualTo(XaBanks.OPENING_BALANCE + 30);
		assertThat(this.paying.queryForList("select state from dtx_global_transaction", String.class))
			.containsExactly("CONFIRMED");
		assertThat(this.receiving.queryForList("select concat(branch_id, concat(' ', state)) from dtx_branch_fence",
				String.class)).containsExactly("r1 CONFIRMED");
		assertNothingPrepared();
	}

	/**
	 * {@value HotRows#ORDERS} transfers from {@value HotRows#CALLERS} callers, every one on
	 * alice's row in the paying bank and bob's in the receiving bank, whose prepared branches
	 * hold them until each decision; one in ten called off by the initiator after the credit
	 * prepared, one in ten refused by the receiving bank. Each transfer is in both ledgers
	 * exactly when its caller heard it done, and in neither otherwise; each caller heard its
	 * own outcome, never one of dtx's making; nothing stays prepared.
	 */
	@Test
	void manyTransfersOnOneRowInEachBankEachCommitOrRollBackWhollyAsTheirCallersHeard() throws Exception {
		RuntimeException[] callOffs = new RuntimeException[HotRows.ORDERS];
		HotRows.Outcomes outcomes = HotRows.placeAll((number) -> {
			RuntimeException callOff = null;
			int amount = HotRows.amount(number);
			if (HotRows.failsByDesign(number) && number % 10 == 4) {
				callOff = new IllegalStateException("transfer " + number + " called off");
				callOffs[number] = callOff;
			}
			else if (HotRows.failsByDesign(number)) {
				amount += XaBanks.CREDIT_LIMIT;
			}
			transfers().transfer(number, amount, callOff);
		});
		HotRows.Settling settling = HotRows.settle(() -> {
			HotRows.assertDecided(this.paying, "transfers");
			HotRows.assertDecided(this.receiving, "transfers");
			assertNothingPrepared();
		});
		List<String> problems = new ArrayList<>();
		Set<Integer> debited = new HashSet<>(this.paying.queryForList("select transfer from ledger", Integer.class));
		Set<Integer> credited = new HashSet<>(this.receiving.queryForList("select transfer from ledger", Integer.class));
		int transferred = 0;
		int returned = 0;
		for (int number = 0; number < HotRows.ORDERS; number++) {
			Throwable thrown = outcomes.thrown(number);
			boolean heardDone = thrown == null;
			String own;
			if (!HotRows.failsByDesign(number)) {
				own = heardDone ? null : "returned";
			}
			else if (number % 10 == 4) {
				own = (thrown == callOffs[number] && thrown.getSuppressed().length == 0) ? null : "its own call-off";
			}
			else {
				own = (thrown instanceof HttpServerErrorException) ? null : "the receiving bank's refusal";
			}
			if (own != null) {
				problems.add("transfer " + number + " should have " + own + ", its caller got " + thrown);
			}
			if (debited.contains(number) != heardDone || credited.contains(number) != heardDone) {
				problems.add("transfer " + number + " (caller heard " + (heardDone ? "done" : thrown) + "): debited "
						+ debited.contains(number) + ", credited " + credited.contains(number));
			}
			if (heardDone) {
				returned++;
				transferred += HotRows.amount(number);
			}
		}
		int alice = balance(this.paying, "alice");
		int bob = balance(this.receiving, "bob");
		if (alice != XaBanks.OPENING_BALANCE - transferred || bob != XaBanks.OPENING_BALANCE + transferred) {
			problems.add("alice holds " + alice + " and bob " + bob + "; the transfers heard done moved " + transferred);
		}
		int confirmed = this.paying.queryForObject(
				"select count(*) from dtx_global_transaction where state = 'CONFIRMED'", Integer.class);
		if (confirmed != returned) {
			problems.add(confirmed + " transactions committed, " + returned + " callers heard done");
		}
		String report = server() + ": " + HotRows.ORDERS + " transfers from " + HotRows.CALLERS + " callers in "
				+ outcomes.took().toMillis() + " ms, " + returned + " done; " + settling + "; " + problems.size()
				+ " problem(s)" + problems.stream().limit(20).map((problem) -> "\n  - " + problem).reduce("", String::concat);
		System.out.println(report);
		assertThat(problems).as(report).isEmpty();
		assertThat(settling.took()).as(report).isLessThanOrEqualTo(HotRows.SETTLE);
	}

	@Test
	void aParticipantRefusingRollsBackTheInitiatorsBranchAndItsCallerHearsWhy() {
		assertThatExceptionOfType(HttpServerErrorException.class)
			.isThrownBy(() -> transfers().transfer(1, XaBanks.CREDIT_LIMIT + 1, null));
		assertUntouched();
		assertThat(this.paying.queryForList("select state from dtx_global_transaction", String.class))
			.containsExactly("CANCELLED");
	}

	@Test
	void anInitiatorThrowingAfterTheRemoteBranchPreparedRollsBackBothAndItsCallerHearsItsOwnException() {
		assertThatIllegalStateException().isThrownBy(() -> transfers().transfer(1, 30, new IllegalStateException("the transfer was called off")))
			.withMessage("the transfer was called off");
		assertUntouched();
		assertThat(this.receiving.queryForList("select concat(branch_id, concat(' ', state)) from dtx_branch_fence",
				String.class)).containsExactly("r1 CANCELLED");
	}

	@Test
	void aBranchThrowingACheckedSqlExceptionRollsBackAndItsCallerGetsThatVeryException() {
		SQLException failure = new SQLException("the branch's own failure");
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> transfers().failingDebit(30, failure))
			.isSameAs(failure);
		assertUntouched();
	}

	@Test
	void aPreparedBranchHoldsItsRowLockUntilTheDecision() throws Exception {
		CountDownLatch prepared = new CountDownLatch(1);
		CountDownLatch decide = new CountDownLatch(1);
		transfers().afterCredit(() -> {
			prepared.countDown();
			awaitReleased(decide);
		});
		CompletableFuture<String> transfer = CompletableFuture.supplyAsync(() -> transfers().transfer(1, 30, null));
		assertThat(prepared.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		// MariaDB lists the server's: the debit's too
		assertThat(preparedIn(this.receiving)).as("the credit, prepared").anyMatch((id) -> id.endsWith("-r1.b1"));
		assertThat(balance(this.receiving, "bob")).as("not committed yet").isEqualTo(XaBanks.OPENING_BALANCE);

		CompletableFuture<Integer> writer = CompletableFuture
			.supplyAsync(() -> this.receiving.update(WRITER + " where id = 'bob'"));
		await("bob's row lock, held by the prepared credit").atMost(TIMEOUT)
			.until(() -> this.receiving.queryForObject(server().lockWaitersQuery(WRITER), Integer.class) == 1);
		assertThat(writer).isNotDone();

		decide.countDown();
		assertThat(transfer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("transferred");
		assertThat(writer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
		assertThat(balance(this.receiving, "bob")).isEqualTo(XaBanks.OPENING_BALANCE + 30 + 1);
		assertNothingPrepared();
	}

	@Test
	void aParticipantAwayDuringPhaseTwoCommitsItsPreparedBranchOnceBack() {
		transfers().afterCredit(() -> this.receivingBank.close());
		assertThat(transfers().transfer(1, 30, null)).as("the decision was to commit").isEqualTo("transferred");
		assertThat(this.paying.queryForList("select state from dtx_global_transaction", String.class))
			.containsExactly("CONFIRMING");
		assertThat(balance(this.paying, "alice")).as("the initiator's own branch committed at once")
			.isEqualTo(XaBanks.OPENING_BALANCE - 30);
		assertThat(preparedIn(this.receiving)).as("the credit outlived its service")
			.singleElement()
			.matches((id) -> id.endsWith("-r1.b1"));

		this.receivingBank = startReceivingBank();
		Recovery recovery = this.payingBank.getBean(Recovery.class);
		await().atMost(TIMEOUT).until(() -> {
			recovery.recoverDue();
			return balance(this.receiving, "bob") == XaBanks.OPENING_BALANCE + 30;
		});
		assertThat(this.paying.queryForList("select state from dtx_global_transaction", String.class))
			.containsExactly("CONFIRMED");
		assertNothingPrepared();
	}

	@Test
	void aBranchInDoubtWhoseInitiatorNeverDecidedIsRolledBack() {
		String xid = newXid();
		assertThat(creditRemotely(xid, 30, Instant.now().minusSeconds(5)).value()).isEqualTo(200);
		assertThat(preparedIn(this.receiving)).hasSize(1);
		Recovery recovery = this.receivingBank.getBean(Recovery.class);
		await().atMost(TIMEOUT).until(() -> {
			recovery.resolveInDoubt();
			return preparedIn(this.receiving).isEmpty();
		});
		assertThat(balance(this.receiving, "bob")).isEqualTo(XaBanks.OPENING_BALANCE);
		assertThat(this.receiving.queryForList("select concat(branch_id, concat(' ', state)) from dtx_branch_fence",
				String.class)).containsExactly("r1 CANCELLED");
	}

	@Test
	void aBranchArrivingAfterItsRollbackIsRefusedAndPreparesNothing() {
		String xid = newXid();
		assertThat(phaseTwo(rollback(xid), signer()).value()).isEqualTo(200);
		assertThat(creditRemotely(xid, 30, Instant.now().plusSeconds(60)).value()).isEqualTo(409);
		assertUntouched();
	}

	@Test
	void forgedOrMalformedPhaseTwoRequestsAreRefusedAndTheBranchStaysPrepared() {
		String xid = newXid();
		assertThat(creditRemotely(xid, 30, Instant.now().plusSeconds(60)).value()).isEqualTo(200);
		String commit = rollback(xid).replace("cancel", "confirm");
		RequestSigner forger = new RequestSigner("guessed-secret", Duration.ofMinutes(5), Clock.systemUTC());
		assertThat(phaseTwo(commit, null).value()).isEqualTo(401);
		assertThat(phaseTwo(commit, forger).value()).isEqualTo(401);
		assertThat(phaseTwo(commit.replace("confirm", "maybe"), signer()).value()).isEqualTo(400);
		assertThat(preparedIn(this.receiving)).as("nothing changed").hasSize(1);
		assertThat(balance(this.receiving, "bob")).isEqualTo(XaBanks.OPENING_BALANCE);

		assertThat(phaseTwo(commit, signer()).value()).isEqualTo(200);
		assertThat(phaseTwo(commit, signer()).value()).as("repeated").isEqualTo(200);
		assertThat(balance(this.receiving, "bob")).isEqualTo(XaBanks.OPENING_BALANCE + 30);
		assertNothingPrepared();
	}

	private void assertUntouched() {
		assertThat(balance(this.paying, "alice")).isEqualTo(XaBanks.OPENING_BALANCE);
		assertThat(balance(this.receiving, "bob")).isEqualTo(XaBanks.OPENING_BALANCE);
		assertNothingPrepared();
	}

	private void assertNothingPrepared() {
		assertThat(preparedIn(this.paying)).as("prepared in the paying bank's database").isEmpty();
		assertThat(preparedIn(this.receiving)).as("prepared in the receiving bank's database").isEmpty();
	}

	private String newXid() {
		String xid = GlobalTransaction.newXid();
		this.xids.add(xid);
		return xid;
	}

	// a request as the initiator's client sends it, in a transaction of the given deadline
	private HttpStatusCode creditRemotely(String xid, int amount, Instant deadline) {
		return RestClient.create()
			.post()
			.uri("http://localhost:" + this.receivingPort + "/credit?account=bob&amount=" + amount)
			.header(DtxHeaders.XID, xid)
			.header(DtxHeaders.BRANCH, "r1")
			.header(DtxHeaders.MODE, XaCoordinator.MODE)
			.header(DtxHeaders.DEADLINE, Long.toString(deadline.toEpochMilli()))
			.header(DtxHeaders.COORDINATOR,
					"http://localhost:" + this.payingBank.getEnvironment().getProperty("local.server.port"))
			.exchange((request, response) -> response.getStatusCode());
	}

	private static String rollback(String xid) {
		return "{\"xid\":\"" + xid + "\",\"branch\":\"r1\",\"mode\":\"XA\",\"decision\":\"cancel\"}";
	}

	private HttpStatusCode phaseTwo(String body, RequestSigner signer) {
		byte[] content = body.getBytes(StandardCharsets.UTF_8);
		RestClient.RequestBodySpec request = RestClient.create()
			.post()
			.uri("http://localhost:" + this.receivingPort + "/dtx/phase-two")
			.contentType(MediaType.APPLICATION_JSON);
		if (signer != null) {
			RequestSigner.Signature signature = signer.sign("POST", "/dtx/phase-two", content);
			request.header(DtxHeaders.TIMESTAMP, signature.timestamp()).header(DtxHeaders.SIGNATURE, signature.value());
		}
		return request.body(content).exchange((req, response) -> response.getStatusCode());
	}

	private static RequestSigner signer() {
		return new RequestSigner(XaBanks.SECRET, Duration.ofMinutes(5), Clock.systemUTC());
	}

	private ConfigurableApplicationContext startReceivingBank() {
		return new SpringApplicationBuilder(XaBanks.ReceivingBank.class).properties(XaBanks.common("receiving"))
			.properties(dataSource(this.receivingDatabase))
			.properties("server.port=" + this.receivingPort)
			.run();
	}

	private static String[] dataSource(String[] database) {
		return new String[] { "spring.datasource.url=" + database[0], "spring.datasource.username=" + database[1],
				"spring.datasource.password=" + database[2] };
	}

	private XaBanks.Transfers transfers() {
		return this.payingBank.getBean(XaBanks.Transfers.class);
	}

	private static int balance(JdbcTemplate jdbc, String account) {
		return jdbc.queryForObject("select balance from account where id = ?", Integer.class, account);
	}

	// this test's transactions prepared in the database
	private List<String> preparedIn(JdbcTemplate jdbc) {
		this.xids.addAll(this.paying.queryForList("select xid from dtx_global_transaction", String.class));
		return jdbc.execute((Connection connection) -> statements(connection).prepared(connection, "dtx-"))
			.stream()
			.filter(this::ofThisTest)
			.toList();
	}

	private boolean ofThisTest(String globalId) {
		return this.xids.stream().anyMatch((xid) -> globalId.startsWith("dtx-" + xid + "-"))
				|| server() != DatabaseServer.MARIADB;
	}

	private void rollBackPrepared(JdbcTemplate jdbc) {
		for (String globalId : preparedIn(jdbc)) {
			jdbc.execute((Connection connection) -> statements(connection).rollback(connection, globalId));
		}
	}

	private static PreparedTransactions statements(Connection connection) throws SQLException {
		return PreparedTransactions.of(
				connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres")
						? DatabaseVendor.POSTGRESQL : DatabaseVendor.MYSQL);
	}

	private JdbcTemplate jdbc(String[] database) {
		HikariDataSource pool = Pools.of(database, 4);
		this.pools.add(pool);
		return new JdbcTemplate(pool);
	}

	private static void close(ConfigurableApplicationContext context) {
		if (context != null && context.isActive()) {
			context.close();
		}
	}

	private static void awaitReleased(CountDownLatch latch) {
		try {
			if (!latch.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("the test did not let the transfer go on");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
