package io.dtx.saga;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.dtx.saga.crash.SagaOrderService;
import io.dtx.saga.crash.SagaPaymentService;
import io.dtx.tcc.crash.CrashPoints;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A saga across two Spring Boot services, each a child JVM configured by command-line
 * properties only, whose one or other JVM is killed with SIGKILL at a named point, then
 * started again: every step that committed is compensated exactly once, and nothing else.
 * The order service (PostgreSQL) reserves stock, charges the customer in the payment
 * service (MariaDB) and schedules a delivery. Each test first checks what the crash left,
 * so that it proves the crash happened where it says, then waits for recovery. Each
 * compensation writes a row of {@code compensation} in its own local transaction: those
 * rows show that each ran once and only once.
 */
class SagaCrashRecoveryTests {

	private static final DatabaseServer POSTGRESQL = DatabaseServer.POSTGRESQL;

	private static final DatabaseServer MARIADB = DatabaseServer.MARIADB;

	private static final String ORDER_DATABASE = "dtx_saga_crash_order";

	private static final String PAYMENT_DATABASE = "dtx_saga_crash_payment";

	// long enough for a loaded machine with two cores: a child JVM starts in 3 to 10 seconds
	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private static final Duration CRASH_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(60);

	private static final HttpClient http = HttpClient.newHttpClient();

	private final List<ChildJvm> children = new ArrayList<>();

	private String testName;

	private int orderPort;

	private int paymentPort;

	@BeforeEach
	void createDatabases(TestInfo test) {
		POSTGRESQL.assumeAvailable();
		MARIADB.assumeAvailable();
		this.testName = getClass().getSimpleName() + "-" + test.getDisplayName().replaceAll("[^A-Za-z0-9-]", "_");
		POSTGRESQL.recreateDatabase(ORDER_DATABASE);
		MARIADB.recreateDatabase(PAYMENT_DATABASE);
		// created here, not by the services, so that a restart cannot reset what a crash left
		order().execute("create table stock (item varchar(20) primary key, available int not null)");
		order().update("insert into stock values ('widget', 10)");
		order().execute("create table delivery (id varchar(20) primary key)");
		order().execute("create table compensation (action varchar(20) not null)");
		payment().execute("create table account (id varchar(20) primary key, balance int not null)");
		payment().update("insert into account values ('alice', 100)");
		payment().execute("create table charge (id int auto_increment primary key, customer varchar(20) not null,"
				+ " amount int not null)");
		payment().execute("create table compensation (action varchar(20) not null)");
		this.orderPort = Ports.free();
		this.paymentPort = Ports.free();
	}

	@AfterEach
	void killChildren() {
		this.children.forEach(ChildJvm::close);
	}

	@ParameterizedTest(name = "orderKilled {0}")
	@CsvSource({ "after-step-1, 1, 0", "after-step-2, 2, 0", "after-step-3, 3, 1" })
	void orderKilledAfterEachStepIsCompensatedOnceItsDeadlinePasses(String crashPoint, int steps, int deliveries) {
		ChildJvm payment = startPayment(null);
		ChildJvm order = startOrder(crashPoint);
		awaitStarted(order, payment);
		placeOrder(false);
		crash(order, crashPoint);
		assertThat(globalStates()).as("the saga was running").containsExactly("TRYING");
		assertThat(available()).isEqualTo(8);
		assertThat(balance()).isEqualTo((steps >= 2) ? 70 : 100);
		assertThat(deliveries()).isEqualTo(deliveries);

		// another instance of the order service: recovery compensates once the deadline passed
		ChildJvm restarted = startOrder(null);
		awaitCompensated(restarted, payment);
		assertThat(order().queryForObject("select updated_at >= deadline from dtx_global_transaction", Boolean.class))
			.as("recovery left the saga alone until its deadline")
			.isTrue();
		assertNothingLeft();
		List<String> expected = new ArrayList<>(List.of("stock"));
		if (steps >= 3) {
			expected.add(0, "delivery");
		}
		assertThat(compensations(order())).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(compensations(payment())).isEqualTo((steps >= 2) ? List.of("payment") : List.of());
	}

	@Test
	void orderKilledDuringACompensationFinishesItAfterTheRestart() {
		ChildJvm payment = startPayment(null);
		ChildJvm order = startOrder("in-compensation");
		awaitStarted(order, payment);
		placeOrder(true);
		crash(order, "in-compensation");
		assertThat(globalStates()).as("compensating").containsExactly("CANCELLING");
		assertThat(compensations(order())).as("the delivery's compensation committed").containsExactly("delivery");
		assertThat(compensations(payment())).containsExactly("payment");
		assertThat(available()).as("the stock's did not").isEqualTo(8);

		ChildJvm restarted = startOrder(null);
		awaitCompensated(restarted, payment);
		assertNothingLeft();
		assertThat(compensations(order())).containsExactlyInAnyOrder("delivery", "stock");
		assertThat(compensations(payment())).containsExactly("payment");
	}

	@Test
	void paymentKilledInItsStepIsCompensatedOnceItIsBack() {
		ChildJvm payment = startPayment("in-step");
		ChildJvm order = startOrder(null);
		awaitStarted(order, payment);
		placeOrder(false);
		crash(payment, "in-step");
		awaitOrFail(List.of(order), () -> assertThat(globalStates()).containsExactly("CANCELLING"));
		assertThat(balance()).as("the charge rolled back with the JVM").isEqualTo(100);

		ChildJvm restarted = startPayment(null);
		awaitCompensated(order, restarted);
		assertNothingLeft();
		assertThat(compensations(order())).containsExactly("stock");
		assertThat(compensations(payment())).as("nothing to refund").isEmpty();
	}

	@Test
	void paymentKilledInItsCompensationRefundsOnceItIsBack() {
		ChildJvm payment = startPayment("in-compensation");
		ChildJvm order = startOrder(null);
		awaitStarted(order, payment);
		placeOrder(true);
		crash(payment, "in-compensation");
		assertThat(balance()).isEqualTo(70);

		ChildJvm restarted = startPayment(null);
		awaitCompensated(order, restarted);
		assertNothingLeft();
		assertThat(compensations(order())).containsExactlyInAnyOrder("delivery", "stock");
		assertThat(compensations(payment())).containsExactly("payment");
	}

	private void assertNothingLeft() {
		assertThat(globalStates()).containsExactly("CANCELLED");
		assertThat(available()).isEqualTo(10);
		assertThat(deliveries()).isZero();
		assertThat(balance()).isEqualTo(100);
		assertThat(payment().queryForObject("select count(*) from charge", Integer.class)).isZero();
	}

	private ChildJvm startOrder(String crashPoint) {
		return start("order", SagaOrderService.class, this.orderPort, POSTGRESQL, ORDER_DATABASE, crashPoint,
				"--payment.url=http://localhost:" + this.paymentPort);
	}

	private ChildJvm startPayment(String crashPoint) {
		return start("payment", SagaPaymentService.class, this.paymentPort, MARIADB, PAYMENT_DATABASE, crashPoint);
	}

	// Only properties, as a deployed service has; recovery looks often and backs off little,
	// so that a test waits seconds, not minutes
	private ChildJvm start(String service, Class<?> application, int port, DatabaseServer server, String database,
			String crashPoint, String... extraArguments) {
		List<String> arguments = new ArrayList<>(List.of("--spring.application.name=" + service,
				"--server.port=" + port, "--spring.datasource.url=" + server.url(database),
				"--spring.datasource.username=" + server.username(),
				"--spring.datasource.password=" + server.password(), "--spring.flyway.enabled=false",
				"--dtx.http.secret=saga-crash-secret", "--dtx.http.read-timeout=10s", "--dtx.recovery.interval=500ms",
				"--dtx.recovery.lease=2s", "--dtx.saga.compensation.initial-backoff=200ms",
				"--dtx.saga.compensation.max-backoff=2s", "--dtx.saga.compensation.max-attempts=1000",
				"--logging.level.io.dtx=INFO"));
		arguments.addAll(List.of(extraArguments));
		if (crashPoint != null) {
			arguments.add("--crash.point=" + crashPoint);
		}
		String name = this.testName + "-" + (this.children.size() + 1) + "-" + service
				+ ((crashPoint != null) ? "-" + crashPoint : "");
		ChildJvm child = ChildJvm.start(name, List.of(), application, arguments);
		this.children.add(child);
		return child;
	}

	private static void awaitStarted(ChildJvm order, ChildJvm payment) {
		payment.awaitOutput(ServiceMain.started("payment"), START_TIMEOUT);
		order.awaitOutput(ServiceMain.started("order"), START_TIMEOUT);
	}

	// without waiting for the answer, which never comes when the order service is killed
	private void placeOrder(boolean fail) {
		http.sendAsync(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.orderPort + "/orders?quantity=2&amount=30&fail=" + fail))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.discarding());
	}

	private static void crash(ChildJvm child, String crashPoint) {
		child.awaitOutput(CrashPoints.reached(crashPoint), CRASH_TIMEOUT);
		child.kill();
	}

	// the time to converge counts from when both services run: a restart may take long to start
	private void awaitCompensated(ChildJvm order, ChildJvm payment) {
		awaitStarted(order, payment);
		awaitOrFail(List.of(order, payment), () -> assertThat(globalStates()).containsExactly("CANCELLED"));
	}

	private static void awaitOrFail(List<ChildJvm> services, ThrowingRunnable assertion) {
		ChildJvms.awaitWhileAlive(services, RECOVERY_TIMEOUT, "the saga did not converge", assertion);
	}

	private List<String> globalStates() {
		return order().queryForList("select state from dtx_global_transaction", String.class);
	}

	private int available() {
		return order().queryForObject("select available from stock where item = 'widget'", Integer.class);
	}

	private int deliveries() {
		return order().queryForObject("select count(*) from delivery", Integer.class);
	}

	private int balance() {
		return payment().queryForObject("select balance from account where id = 'alice'", Integer.class);
	}

	private static List<String> compensations(JdbcTemplate jdbc) {
		return jdbc.queryForList("select action from compensation", String.class);
	}

	private static JdbcTemplate order() {
		return POSTGRESQL.jdbcTemplate(ORDER_DATABASE);
	}

	private static JdbcTemplate payment() {
		return MARIADB.jdbcTemplate(PAYMENT_DATABASE);
	}

}
