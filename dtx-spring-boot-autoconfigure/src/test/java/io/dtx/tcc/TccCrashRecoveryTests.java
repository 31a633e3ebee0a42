package io.dtx.tcc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.dtx.tcc.crash.CrashPoints;
import io.dtx.tcc.crash.OrderServiceApplication;
import io.dtx.tcc.crash.PaymentServiceApplication;
import io.dtx.tcc.crash.ServiceMain;
import io.dtx.test.ChildJvm;
import io.dtx.test.ChildJvms;
import io.dtx.test.DatabaseServer;
import io.dtx.test.Ports;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TCC transaction across two Spring Boot services, each a child JVM configured by
 * command-line properties only, whose one or other JVM is killed with SIGKILL at a named
 * point, then started again: every branch ends up confirmed, or every branch cancelled,
 * each exactly once. The order service (PostgreSQL) runs two local branches, stock and
 * loyalty points, and calls the payment service (MariaDB), whose branch freezes funds.
 * <p>
 * Every test first checks what the crash left in both databases, so that it proves the
 * crash happened where it says, then lets the order service's recovery, the only one that
 * drives a transaction to its end, finish it; a participant never asks for the outcome by
 * itself here. Each confirm and cancel writes a row of {@code phase_two} in the local
 * transaction of its change: those rows show that each ran once and only once.
 */
class TccCrashRecoveryTests {

	private static final DatabaseServer POSTGRESQL = DatabaseServer.POSTGRESQL;

	private static final DatabaseServer MARIADB = DatabaseServer.MARIADB;

	private static final String ORDER_DATABASE = "dtx_tcc_crash_order";

	private static final String PAYMENT_DATABASE = "dtx_tcc_crash_payment";

	// long enough for a loaded machine with two cores: a child JVM starts in 3 to 10 seconds
	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration CRASH_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(60);

	// two widgets at 15: 30 frozen, charged, and granted as loyalty points
	private static final int QUANTITY = 2;

	private static final int PRICE = 15;

	private final List<ChildJvm> children = new ArrayList<>();

	private static final HttpClient http = HttpClient.newHttpClient();

	private String testName;

	private int orderPort;

	private int paymentPort;

	@BeforeEach
	void createDatabases(TestInfo test) {
		POSTGRESQL.assumeAvailable();
		MARIADB.assumeAvailable();
		this.testName = getClass().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName();
		POSTGRESQL.recreateDatabase(ORDER_DATABASE);
		MARIADB.recreateDatabase(PAYMENT_DATABASE);
		// created here, not by the services, so that a restart cannot reset what a crash left
		order().execute("create table stock (item varchar(20) primary key, available int not null,"
				+ " reserved int not null)");
		order().update("insert into stock values ('widget', 10, 0)");
		order().execute("create table loyalty (customer varchar(20) primary key, points int not null,"
				+ " promised int not null)");
		order().update("insert into loyalty values ('alice', 0, 0)");
		order().execute("create table phase_two (action varchar(20) not null, decision varchar(10) not null)");
		payment().execute("create table account (id varchar(20) primary key, balance int not null,"
				+ " frozen int not null)");
		payment().update("insert into account values ('alice', 100, 0)");
		payment().execute("create table phase_two (action varchar(20) not null, decision varchar(10) not null)");
		this.orderPort = Ports.free();
		this.paymentPort = Ports.free();
	}

	@AfterEach
	void killChildren() {
		this.children.forEach(ChildJvm::close);
	}

	@Test
	void orderKilledAfterTheTriesAndBeforeTheDecisionIsCancelledEverywhere() {
		ChildJvm payment = startPayment(null);
		ChildJvm order = startOrder("after-tries");
		awaitStarted(order, payment);
		placeOrder();
		crash(order, "after-tries");
		// every branch tried, nothing decided
		assertThat(globalStates()).containsExactly("TRYING");
		assertEveryBranchTriedNoneCompleted();

		// past its deadline, recovery presumes abort
		ChildJvm restarted = startOrder(null);
		awaitRecovered(restarted, payment);
		assertThat(globalStates()).containsExactly("CANCELLED");
		assertThat(order().queryForObject("select updated_at >= deadline from dtx_global_transaction", Boolean.class))
			.as("recovery left the transaction alone until its deadline")
			.isTrue();
		assertAllCancelled();
		assertThat(fence(payment())).containsExactly("r1 CANCELLED", "r1.b1 CANCELLED");
		assertThat(phaseTwo(payment())).containsExactly("payment cancel");
	}

	@Test
	void orderKilledAfterTheDecisionAndBeforeAnyConfirmIsConfirmedEverywhere() {
		ChildJvm payment = startPayment(null);
		ChildJvm order = startOrder("after-decision");
		awaitStarted(order, payment);
		placeOrder();
		crash(order, "after-decision");
		// the decision is durable; the first confirm died with the JVM, its fence row with it
		assertThat(globalStates()).containsExactly("CONFIRMING");
		assertEveryBranchTriedNoneCompleted();

		ChildJvm restarted = startOrder(null);
		awaitRecovered(restarted, payment);
		assertAllConfirmed();
	}

	@Test
	void orderKilledAfterOneOfItsTwoConfirmsConfirmsTheRestOnce() {
		ChildJvm payment = startPayment(null);
		ChildJvm order = startOrder("after-one-confirm");
		awaitStarted(order, payment);
		placeOrder();
		crash(order, "after-one-confirm");
		// the stock is taken and fenced; the loyalty points and the payment wait
		assertThat(globalStates()).containsExactly("CONFIRMING");
		assertThat(fence(order())).containsExactly("b1 CONFIRMED", "b2 TRIED");
		assertThat(participants()).containsExactly("r1 PENDING");
		assertThat(fence(payment())).containsExactly("r1 TRIED", "r1.b1 TRIED");
		assertThat(stock()).isEqualTo("available=8 reserved=0");
		assertThat(loyalty()).isEqualTo("points=0 promised=30");
		assertThat(account()).isEqualTo("balance=100 frozen=30");
		assertThat(phaseTwo(order())).containsExactly("stock confirm");
		assertThat(phaseTwo(payment())).isEmpty();

		ChildJvm restarted = startOrder(null);
		awaitRecovered(restarted, payment);
		assertAllConfirmed();
	}

	@Test
	void paymentKilledDuringPhaseTwoIsConfirmedOnceItIsBack() {
		ChildJvm payment = startPayment("in-confirm");
		ChildJvm order = startOrder(null);
		awaitStarted(order, payment);
		CompletableFuture<HttpResponse<String>> placed = placeOrder();
		crash(payment, "in-confirm");
		assertThat(response(placed)).as("the order service decided to commit, whatever phase two met")
			.isEqualTo("200 ordered");
		// the order's own branches are confirmed; the payment opened its phase two, charged nothing
		assertThat(globalStates()).containsExactly("CONFIRMING");
		assertThat(fence(order())).containsExactly("b1 CONFIRMED", "b2 CONFIRMED");
		assertThat(stock()).isEqualTo("available=8 reserved=0");
		assertThat(loyalty()).isEqualTo("points=30 promised=0");
		assertThat(phaseTwo(order())).containsExactly("loyalty confirm", "stock confirm");
		assertThat(participants()).containsExactly("r1 PENDING");
		assertThat(fence(payment())).containsExactly("r1 CONFIRMED", "r1.b1 TRIED");
		assertThat(account()).isEqualTo("balance=100 frozen=30");
		assertThat(phaseTwo(payment())).isEmpty();
		// recovery keeps trying the payment service, which does not answer, and keeps the decision
		awaitOrFail(List.of(order), () -> assertThat(recoveryAttempts()).isGreaterThanOrEqualTo(2));
		assertThat(globalStates()).containsExactly("CONFIRMING");
		assertThat(participants()).containsExactly("r1 PENDING");

		ChildJvm restarted = startPayment(null);
		awaitRecovered(order, restarted);
		assertAllConfirmed();
	}

	@Test
	void paymentKilledDuringItsTryIsCancelledEverywhereOnceItIsBack() {
		ChildJvm payment = startPayment("in-try");
		ChildJvm order = startOrder(null);
		awaitStarted(order, payment);
		CompletableFuture<HttpResponse<String>> placed = placeOrder();
		crash(payment, "in-try");
		assertThat(response(placed)).as("the call to the payment service failed, so did the order")
			.startsWith("500 ");
		// the order cancelled its own branches; the payment's try died uncommitted, fence row and all
		assertThat(globalStates()).containsExactly("CANCELLING");
		assertThat(fence(order())).containsExactly("b1 CANCELLED", "b2 CANCELLED");
		assertThat(stock()).isEqualTo("available=10 reserved=0");
		assertThat(loyalty()).isEqualTo("points=0 promised=0");
		assertThat(phaseTwo(order())).containsExactly("loyalty cancel", "stock cancel");
		assertThat(participants()).containsExactly("r1 PENDING");
		assertThat(fence(payment())).isEmpty();
		assertThat(account()).isEqualTo("balance=100 frozen=0");

		ChildJvm restarted = startPayment(null);
		awaitRecovered(order, restarted);
		assertThat(globalStates()).containsExactly("CANCELLED");
		assertAllCancelled();
		// an empty rollback: nothing to release, and a mark that refuses the try should it come late
		assertThat(fence(payment())).containsExactly("r1 CANCELLED");
		assertThat(phaseTwo(payment())).isEmpty();
	}

	private void assertEveryBranchTriedNoneCompleted() {
		assertThat(fence(order())).containsExactly("b1 TRIED", "b2 TRIED");
		assertThat(participants()).containsExactly("r1 PENDING");
		assertThat(fence(payment())).containsExactly("r1 TRIED", "r1.b1 TRIED");
		assertThat(stock()).isEqualTo("available=10 reserved=2");
		assertThat(loyalty()).isEqualTo("points=0 promised=30");
		assertThat(account()).isEqualTo("balance=100 frozen=30");
		assertThat(phaseTwo(order())).isEmpty();
		assertThat(phaseTwo(payment())).isEmpty();
	}

	private void assertAllConfirmed() {
		assertThat(globalStates()).containsExactly("CONFIRMED");
		assertThat(fence(order())).containsExactly("b1 CONFIRMED", "b2 CONFIRMED");
		assertThat(participants()).containsExactly("r1 DONE");
		assertThat(fence(payment())).containsExactly("r1 CONFIRMED", "r1.b1 CONFIRMED");
		assertThat(stock()).isEqualTo("available=8 reserved=0");
		assertThat(loyalty()).isEqualTo("points=30 promised=0");
		assertThat(account()).isEqualTo("balance=70 frozen=0");
		assertThat(phaseTwo(order())).containsExactly("loyalty confirm", "stock confirm");
		assertThat(phaseTwo(payment())).containsExactly("payment confirm");
		assertThat(dtxRows(payment())).as("the payment service started no transaction of its own").isZero();
	}

	// the order service's side and the payment's balance; what the payment's fence holds differs
	private void assertAllCancelled() {
		assertThat(fence(order())).containsExactly("b1 CANCELLED", "b2 CANCELLED");
		assertThat(participants()).containsExactly("r1 DONE");
		assertThat(stock()).isEqualTo("available=10 reserved=0");
		assertThat(loyalty()).isEqualTo("points=0 promised=0");
		assertThat(account()).isEqualTo("balance=100 frozen=0");
		assertThat(phaseTwo(order())).containsExactly("loyalty cancel", "stock cancel");
		assertThat(dtxRows(payment())).as("the payment service started no transaction of its own").isZero();
	}

	private ChildJvm startOrder(String crashPoint) {
		return start("order", OrderServiceApplication.class, this.orderPort, POSTGRESQL, ORDER_DATABASE, crashPoint,
				"--payment.url=http://localhost:" + this.paymentPort);
	}

	private ChildJvm startPayment(String crashPoint) {
		return start("payment", PaymentServiceApplication.class, this.paymentPort, MARIADB, PAYMENT_DATABASE,
				crashPoint);
	}

	// Only properties, as a deployed service has. Recovery looks often and backs off little,
	// and a decided transaction is left to the thread that decided it for 2s only (the lease),
	// so that a test waits seconds, not minutes.
	private ChildJvm start(String service, Class<?> application, int port, DatabaseServer server, String database,
			String crashPoint, String... extraArguments) {
		List<String> arguments = new ArrayList<>(List.of("--spring.application.name=" + service,
				"--server.port=" + port, "--spring.datasource.url=" + server.url(database),
				"--spring.datasource.username=" + server.username(),
				"--spring.datasource.password=" + server.password(), "--spring.flyway.enabled=false",
				"--dtx.http.secret=tcc-crash-secret", "--dtx.http.read-timeout=10s", "--dtx.recovery.interval=500ms",
				"--dtx.recovery.lease=2s", "--dtx.recovery.initial-backoff=200ms", "--dtx.recovery.max-backoff=2s",
				"--logging.level.io.dtx=INFO"));
		arguments.addAll(List.of(extraArguments));
		if (crashPoint != null) {
			arguments.add("--crash.point=" + crashPoint);
		}
		// one output file per JVM: the first and the restarted one of a service side by side
		String name = this.testName + "-" + (this.children.size() + 1) + "-" + service
				+ ((crashPoint != null) ? "-" + crashPoint : "");
		ChildJvm child = ChildJvm.start(name, List.of(), application, arguments);
		this.children.add(child);
		return child;
	}

	private static void awaitStarted(ChildJvm order, ChildJvm payment) {
		// both JVMs start at once: that halves the wait
		payment.awaitOutput(ServiceMain.started("payment"), START_TIMEOUT);
		order.awaitOutput(ServiceMain.started("order"), START_TIMEOUT);
	}

	/**
	 * Places an order without waiting for its answer, which never comes when the order
	 * service is killed while it works on it.
	 */
	private CompletableFuture<HttpResponse<String>> placeOrder() {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.orderPort + "/orders?item=widget&quantity=" + QUANTITY
					+ "&price=" + PRICE))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	private static String response(CompletableFuture<HttpResponse<String>> placed) {
		HttpResponse<String> response = placed.orTimeout(CRASH_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
		return response.statusCode() + " " + response.body();
	}

	/**
	 * Waits until the child stops at its crash point, and kills it there.
	 */
	private static void crash(ChildJvm child, String crashPoint) {
		child.awaitOutput(CrashPoints.reached(crashPoint), CRASH_TIMEOUT);
		child.kill();
	}

	/**
	 * Waits until the order service's log says the transaction is finished, one way or
	 * the other; the test then checks which way, and everything else.
	 */
	// the time to converge counts from when both services run: a restart may take long to start
	private void awaitRecovered(ChildJvm order, ChildJvm payment) {
		awaitStarted(order, payment);
		awaitOrFail(List.of(order, payment), () -> assertThat(globalStates()).singleElement()
			.isIn("CONFIRMED", "CANCELLED"));
	}

	private static void awaitOrFail(List<ChildJvm> services, ThrowingRunnable assertion) {
		ChildJvms.awaitWhileAlive(services, RECOVERY_TIMEOUT, "the transaction did not converge", assertion);
	}

	private List<String> globalStates() {
		return order().queryForList("select state from dtx_global_transaction", String.class);
	}

	private int recoveryAttempts() {
		return order().queryForObject("select attempts from dtx_global_transaction", Integer.class);
	}

	private List<String> participants() {
		return order().query("select branch_id, state from dtx_participant order by branch_id",
				(rs, row) -> rs.getString(1) + " " + rs.getString(2));
	}

	private static List<String> fence(JdbcTemplate jdbc) {
		return jdbc.query("select branch_id, state from dtx_branch_fence order by branch_id",
				(rs, row) -> rs.getString(1) + " " + rs.getString(2));
	}

	private static List<String> phaseTwo(JdbcTemplate jdbc) {
		return jdbc.query("select action, decision from phase_two order by action, decision",
				(rs, row) -> rs.getString(1) + " " + rs.getString(2));
	}

	private static int dtxRows(JdbcTemplate jdbc) {
		return jdbc.queryForObject("select (select count(*) from dtx_global_transaction)"
				+ " + (select count(*) from dtx_participant)", Integer.class);
	}

	private String stock() {
		return order().queryForObject("select available, reserved from stock where item = 'widget'",
				(rs, row) -> "available=" + rs.getInt(1) + " reserved=" + rs.getInt(2));
	}

	private String loyalty() {
		return order().queryForObject("select points, promised from loyalty where customer = 'alice'",
				(rs, row) -> "points=" + rs.getInt(1) + " promised=" + rs.getInt(2));
	}

	private String account() {
		return payment().queryForObject("select balance, frozen from account where id = 'alice'",
				(rs, row) -> "balance=" + rs.getInt(1) + " frozen=" + rs.getInt(2));
	}

	private static JdbcTemplate order() {
		return POSTGRESQL.jdbcTemplate(ORDER_DATABASE);
	}

	private static JdbcTemplate payment() {
		return MARIADB.jdbcTemplate(PAYMENT_DATABASE);
	}

}
