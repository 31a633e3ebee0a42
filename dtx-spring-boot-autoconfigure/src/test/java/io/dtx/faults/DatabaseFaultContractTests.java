package io.dtx.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import io.dtx.autoconfigure.DtxCoreAutoConfiguration;
import io.dtx.autoconfigure.DtxOutboxAutoConfiguration;
import io.dtx.autoconfigure.DtxSagaAutoConfiguration;
import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.autoconfigure.DtxTccAutoConfiguration;
import io.dtx.outbox.Inbox;
import io.dtx.outbox.Outbox;
import io.dtx.test.Callers;
import io.dtx.test.CommitFaults;
import io.dtx.test.DatabaseServer;
import io.dtx.test.KafkaBroker;
import io.dtx.test.ServerOutage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A database that fails mid-transaction never makes dtx tell a caller something false.
 * For TCC (two local branches), sagas (three steps) and the outbox, callers run a bounded
 * number of transactions, one in five failing on purpose, through three faults: the
 * database server stopped for a few seconds and started again; the commit of a
 * transaction's decision reaching the server but its answer lost; and the connection lost
 * just before that commit. Then, per transaction, what the caller heard is compared with
 * what the database holds (see {@link Verdict}): success only for CONFIRMED, a timeout
 * only for cancelled, the method's own exception unchanged, OutcomeUnknownException
 * allowed, anything else of dtx's making wrong; effects applied once, money and stock
 * conserved, every transaction finished within {@link #CONVERGENCE} of the database
 * answering again. For the outbox: every committed message delivered, none of a rolled
 * back one, each key in order. One subclass per database server.
 */
abstract class DatabaseFaultContractTests {

	/** How long the server stays down. */
	static final Duration OUTAGE = Duration.ofSeconds(3);

	/**
	 * How long after the last call ended (always after the database answered again) every
	 * transaction must be finished: above the TCC deadline (10 s) that recovery waits for before it
	 * cancels an undecided transaction, well below the saga deadline (60 s), so that a saga
	 * compensated only at its deadline shows.
	 */
	static final Duration CONVERGENCE = Duration.ofSeconds(15);

	static final int CALLERS = 16;

	static final int FAULTED_CALLS = 40;

	private static KafkaBroker broker;

	private final List<String> problems = new ArrayList<>();

	private long calmSince;

	/** The server under test: stopped by the outage tests. */
	abstract DatabaseServer server();

	@BeforeAll
	static void startBroker() {
		broker = KafkaBroker.start();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	// a test that failed half-way through an outage never leaves the server down
	@AfterEach
	void serverRunning() {
		ServerOutage.endAll();
	}

	private ApplicationContextRunner contextRunner() {
		DatabaseServer server = server();
		String url = server.recreateDatabase("dtx_faults");
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
					KafkaAutoConfiguration.class, DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class,
					DtxTccAutoConfiguration.class, DtxSagaAutoConfiguration.class, DtxOutboxAutoConfiguration.class))
			.withBean(CommitFaults.class)
			.withBean(SimpleMeterRegistry.class)
			.withBean(FaultShop.TccPayment.class)
			.withBean(FaultShop.TccStock.class)
			.withBean(FaultShop.TccOrders.class)
			.withBean(FaultShop.SagaPayment.class)
			.withBean(FaultShop.SagaStock.class)
			.withBean(FaultShop.SagaDelivery.class)
			.withBean(FaultShop.SagaOrders.class)
			.withPropertyValues("spring.datasource.url=" + url, "spring.datasource.username=" + server.username(),
					"spring.datasource.password=" + server.password(),
					// enough for every caller, recovery and the relay at once: callers never
					// queue for a connection, only for the database
					"spring.datasource.hikari.maximum-pool-size=24",
					// a caller that asks for a connection while the server is down hears so in
					// 2 s, not the default 30 s, and the pool keeps trying to open new ones
					// meanwhile, so it serves again as soon as the server answers
					"spring.datasource.hikari.connection-timeout=2000",
					"spring.datasource.hikari.validation-timeout=1000",
					"spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
					// recovery comes round every second, and retries a failed attempt soon
					"dtx.recovery.interval=1s", "dtx.recovery.initial-backoff=500ms", "dtx.recovery.max-backoff=2s",
					"dtx.recovery.lease=3s", "dtx.saga.compensation.initial-backoff=500ms",
					"dtx.saga.compensation.max-backoff=2s", "dtx.saga.compensation.max-attempts=1000",
					"dtx.retention.enabled=false", "dtx.outbox.poll-interval=200ms", "dtx.outbox.send-timeout=2s",
					"dtx.outbox.initial-backoff=100ms", "dtx.outbox.max-backoff=500ms",
					"dtx.outbox.max-attempts=1000");
	}

	// TCC

	@Test
	@Tag(ServerOutage.TAG)
	void tccCallersHearOnlyTrueOutcomesThroughAServerOutage() {
		contextRunner().run((context) -> {
			JdbcTemplate jdbc = shop(context);
			List<Call> calls = throughAnOutage((n) -> new Call(n, n % 5 == 4, null),
					context.getBean(FaultShop.TccOrders.class)::place);
			judge("TCC through an outage", calls, Verdict.Shape.TCC, jdbc, null);
		});
	}

	@Test
	void tccDecisionCommittedButItsAnswerLostIsNeverHeardAsCancelled() {
		contextRunner().run((context) -> {
			JdbcTemplate jdbc = shop(context);
			List<Call> calls = faulted(CommitFaults.Kind.ANSWER_LOST_AFTER_COMMIT,
					context.getBean(FaultShop.TccOrders.class)::place);
			judge("TCC, answer of the decision's commit lost", calls, Verdict.Shape.TCC, jdbc,
					context.getBean(CommitFaults.class));
		});
	}

	@Test
	void tccDecisionLostBeforeItsCommitIsNeverHeardAsConfirmed() {
		contextRunner().run((context) -> {
			JdbcTemplate jdbc = shop(context);
			List<Call> calls = faulted(CommitFaults.Kind.CONNECTION_LOST_BEFORE_COMMIT,
					context.getBean(FaultShop.TccOrders.class)::place);
			judge("TCC, connection lost before the decision's commit", calls, Verdict.Shape.TCC, jdbc,
					context.getBean(CommitFaults.class));
		});
	}

	// sagas

	@Test
	@Tag(ServerOutage.TAG)
	void sagaCallersHearOnlyTrueOutcomesThroughAServerOutage() {
		contextRunner().run((context) -> {
			JdbcTemplate jdbc = shop(context);
			List<Call> calls = throughAnOutage((n) -> new Call(n, n % 5 == 4, null),
					context.getBean(FaultShop.SagaOrders.class)::place);
			judge("saga through an outage", calls, Verdict.Shape.SAGA, jdbc, null);
		});
	}

	@Test
	void sagaEndMarkCommittedButItsAnswerLostIsNeverHeardAsFailed() {
		contextRunner().run((context) -> {
			JdbcTemplate jdbc = shop(context);
			List<Call> calls = faulted(CommitFaults.Kind.ANSWER_LOST_AFTER_COMMIT,
					context.getBean(FaultShop.SagaOrders.class)::place);
			judge("saga, answer of the end mark's commit lost", calls, Verdict.Shape.SAGA, jdbc,
					context.getBean(CommitFaults.class));
		});
	}

	@Test
	void sagaEndMarkLostBeforeItsCommitIsFinishedForward() {
		contextRunner().run((context) -> {
			JdbcTemplate jdbc = shop(context);
			List<Call> calls = faulted(CommitFaults.Kind.CONNECTION_LOST_BEFORE_COMMIT,
					context.getBean(FaultShop.SagaOrders.class)::place);
			judge("saga, connection lost before the end mark's commit", calls, Verdict.Shape.SAGA, jdbc,
					context.getBean(CommitFaults.class));
		});
	}

	// the outbox

	@Test
	@Tag(ServerOutage.TAG)
	void outboxDeliversExactlyTheCommittedMessagesThroughAServerOutage() {
		contextRunner().run((context) -> {
			OutboxOrders orders = outboxOrders(context);
			List<Call> calls = throughAnOutage((n) -> new Call(n, n % 5 == 4, null), orders::place);
			judgeOutbox("outbox through an outage", calls, orders, context);
		});
	}

	@Test
	void outboxDeliversAMessageWhoseCommitsAnswerWasLost() {
		contextRunner().run((context) -> {
			OutboxOrders orders = outboxOrders(context);
			CommitFaults faults = context.getBean(CommitFaults.class);
			// and the relay's marks, lost: what it sent is sent again, and the inbox drops it
			for (int i = 0; i < 3; i++) {
				faults.arm(CommitFaults.Kind.CONNECTION_LOST_BEFORE_COMMIT, OutboxOrders.MARK_SENT, null);
			}
			List<Call> calls = faulted(CommitFaults.Kind.ANSWER_LOST_AFTER_COMMIT, orders::place);
			judgeOutbox("outbox, answer of the publishing commit lost", calls, orders, context);
		});
	}

	@Test
	void outboxNeverDeliversAMessageWhoseCommitNeverReachedTheServer() {
		contextRunner().run((context) -> {
			OutboxOrders orders = outboxOrders(context);
			List<Call> calls = faulted(CommitFaults.Kind.CONNECTION_LOST_BEFORE_COMMIT, orders::place);
			judgeOutbox("outbox, connection lost before the publishing commit", calls, orders, context);
		});
	}

	// the scenarios

	/**
	 * Callers run until some calls completed, the server is stopped for {@link #OUTAGE}
	 * and started again, and callers go on until as many more completed after it.
	 */
	private List<Call> throughAnOutage(IntFunction<Call> newCall, Consumer<Call> place) throws Exception {
		// no budget of calls: one the callers could spend before the server is back (the outbox's
		// calls are quick) would end the run with no call after the outage to judge
		try (Callers<Call> callers = Callers.start(CALLERS, Integer.MAX_VALUE, newCall, place)) {
			within(Duration.ofSeconds(30), () -> callers.completed() >= 50, "50 calls before the outage");
			try (ServerOutage outage = ServerOutage.begin(server())) {
				outage.holdFor(OUTAGE);
			}
			this.calmSince = System.nanoTime();
			int resumedAt = callers.completed();
			within(Duration.ofSeconds(30), () -> callers.completed() >= resumedAt + 50,
					"50 more calls after the server answered again");
			List<Call> calls = callers.finish(Duration.ofSeconds(60));
			System.out.printf("the last call ended %d ms after the server answered again%n",
					Duration.ofNanos(System.nanoTime() - this.calmSince).toMillis());
			// transactions begun after the outage count from their own end, as in any test
			this.calmSince = System.nanoTime();
			return calls;
		}
	}

	/**
	 * {@link #FAULTED_CALLS} calls from eight callers, each with the fault armed at the
	 * commit of its decision (or of its publishing transaction).
	 */
	private List<Call> faulted(CommitFaults.Kind fault, Consumer<Call> place) throws Exception {
		try (Callers<Call> callers = Callers.start(8, FAULTED_CALLS, (n) -> new Call(n, n % 5 == 4, fault), place)) {
			within(Duration.ofSeconds(60), () -> callers.completed() == FAULTED_CALLS, "every call made");
			List<Call> calls = callers.finish(Duration.ofSeconds(60));
			this.calmSince = System.nanoTime();
			return calls;
		}
	}

	// the checks

	private void judge(String title, List<Call> calls, Verdict.Shape shape, JdbcTemplate jdbc,
			CommitFaults faults) {
		within(remaining(), () -> unfinished(jdbc) == 0, "every transaction finished within " + CONVERGENCE
				+ " (still unfinished: " + states(jdbc) + ")");
		Verdict verdict = Verdict.of(calls, shape, jdbc);
		this.problems.addAll(verdict.problems());
		verdict.strangers(calls).forEach((xid) -> this.problems.add(xid + " in the log, begun by no call"));
		if (faults != null) {
			calls.stream()
				// a transaction never recorded (its first branch failed) has no decision to break
				.filter((call) -> verdict.state(call.xid()) != null && !faults.fired(call.xid()))
				.forEach((call) -> this.problems.add("call " + call.number() + ": the fault at its decision never "
						+ "fired, so this test did not test it"));
		}
		conserved(calls, shape, verdict, jdbc);
		report(title, calls, verdict.table());
	}

	// nothing lost or applied twice: the hot rows hold the sum of the confirmed orders
	private void conserved(List<Call> calls, Verdict.Shape shape, Verdict verdict, JdbcTemplate jdbc) {
		int amount = 0;
		int quantity = 0;
		List<String> confirmed = new ArrayList<>();
		for (Call call : calls) {
			if ("CONFIRMED".equals(verdict.state(call.xid()))) {
				amount += call.amount();
				quantity += call.quantity();
				confirmed.add(call.xid());
			}
		}
		Map<String, Object> account = jdbc.queryForMap("select balance, frozen from fault_account");
		Map<String, Object> stock = jdbc.queryForMap("select available, reserved from fault_stock");
		expect("balance", ((Number) account.get("balance")).intValue(), FaultShop.OPENING_BALANCE - amount);
		expect("frozen", ((Number) account.get("frozen")).intValue(), 0);
		expect("stock", ((Number) stock.get("available")).intValue(), FaultShop.OPENING_STOCK - quantity);
		expect("reserved", ((Number) stock.get("reserved")).intValue(), 0);
		if (shape == Verdict.Shape.SAGA) {
			List<String> deliveries = jdbc.queryForList("select xid from fault_delivery", String.class);
			if (deliveries.size() != confirmed.size() || !deliveries.containsAll(confirmed)) {
				this.problems.add(deliveries.size() + " deliveries for " + confirmed.size() + " confirmed sagas");
			}
		}
	}

	private void judgeOutbox(String title, List<Call> calls, OutboxOrders orders,
			AssertableApplicationContext context) {
		within(remaining(), () -> orders.pending() == 0, "every committed message sent within " + CONVERGENCE);
		this.problems.addAll(orders.problems(calls, broker, context.getBean(Inbox.class), Duration.ofSeconds(30)));
		int neverFired = context.getBean(CommitFaults.class).armed();
		if (neverFired > 0) {
			this.problems.add(neverFired + " armed fault(s) never fired, so this test did not test them");
		}
		report(title, calls, outboxTable(calls, orders));
	}

	private static String outboxTable(List<Call> calls, OutboxOrders orders) {
		Map<String, Integer> counts = new java.util.TreeMap<>();
		calls.forEach((call) -> counts.merge("transaction " + call.method() + " | caller heard "
				+ call.heardDescription(), 1, Integer::sum));
		StringBuilder table = new StringBuilder();
		counts.forEach((outcome, count) -> table.append(String.format("%6d  %s%n", count, outcome)));
		return table.toString();
	}

	private void report(String title, List<Call> calls, String table) {
		long slowest = calls.stream().mapToLong(Call::millis).max().orElse(0);
		StringBuilder report = new StringBuilder(title).append(" on ").append(server()).append(": ")
			.append(calls.size()).append(" calls (the slowest took ").append(slowest).append(" ms), ")
			.append(this.problems.size()).append(" problem(s)\n").append(table);
		this.problems.stream().limit(20).forEach((problem) -> report.append("  - ").append(problem).append('\n'));
		System.out.println(report);
		assertThat(this.problems).as(report.toString()).isEmpty();
	}

	// a condition not met is a problem among the others, so that the verdict still comes
	private void within(Duration timeout, Callable<Boolean> condition, String what) {
		try {
			await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(condition);
		}
		catch (ConditionTimeoutException ex) {
			this.problems.add("not met in " + timeout.toSeconds() + " s: " + what);
		}
	}

	private Duration remaining() {
		Duration spent = Duration.ofNanos(System.nanoTime() - this.calmSince);
		return spent.compareTo(CONVERGENCE) < 0 ? CONVERGENCE.minus(spent) : Duration.ofMillis(100);
	}

	private void expect(String what, int actual, int expected) {
		if (actual != expected) {
			this.problems.add(what + " is " + actual + ", the confirmed orders make it " + expected);
		}
	}

	private static int unfinished(JdbcTemplate jdbc) {
		return jdbc.queryForObject("select count(*) from dtx_global_transaction where state not in"
				+ " ('CONFIRMED', 'CANCELLED')", Integer.class);
	}

	private static String states(JdbcTemplate jdbc) {
		try {
			return jdbc.queryForList("select state, count(*) as n from dtx_global_transaction where state not in"
					+ " ('CONFIRMED', 'CANCELLED') group by state").toString();
		}
		catch (RuntimeException ex) {
			return "unreadable: " + ex;
		}
	}

	private static JdbcTemplate shop(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
		FaultShop.createTables(jdbc);
		return jdbc;
	}

	private static OutboxOrders outboxOrders(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		DataSource dataSource = context.getBean(DataSource.class);
		OutboxOrders.createTables(new JdbcTemplate(dataSource));
		String topic = "faults-" + UUID.randomUUID();
		broker.createTopic(topic, 3);
		return new OutboxOrders(dataSource, context.getBean(Outbox.class),
				context.getBean(PlatformTransactionManager.class), context.getBean(CommitFaults.class), topic);
	}

}
