package io.dtx.saga.orchestration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.IntPredicate;

import com.zaxxer.hikari.HikariDataSource;
import io.dtx.saga.orchestration.SagaShop.Order;
import io.dtx.tcc.crash.CrashPoints;
import io.dtx.test.Callers;
import io.dtx.test.ChildJvm;
import io.dtx.test.DatabaseServer;
import io.dtx.test.HotRows;
import io.dtx.test.KafkaBroker;
import io.dtx.test.LocalCall;
import io.dtx.test.Pools;
import io.dtx.test.ServerOutage;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sagas by commands on a real database server with the in-process broker, the order,
 * payment and stock services of {@link SagaShop} each on a database of its own: many sagas
 * on hot rows, driven by two orchestrator instances whose timeout scans race with the
 * replies; and {@code kill -9} of the
 * orchestrator after it sent a command, of the orchestrator after a reply came and before
 * its transition committed, and of a participant in the middle of a command — after which
 * every saga finishes forward, each step applied once. The databases' server is also
 * stopped and started again while callers start sagas, in the build's run of such tests
 * ({@link ServerOutage}). One subclass per database vendor.
 */
abstract class SagaFaultContractTests {

	static final Duration TIMEOUT = Duration.ofSeconds(90);

	static final Duration OUTAGE = Duration.ofSeconds(3);

	private static KafkaBroker broker;

	private final List<ChildJvm> children = new ArrayList<>();

	private final List<ConfigurableApplicationContext> services = new ArrayList<>();

	private final List<HikariDataSource> pools = new ArrayList<>();

	private String testName;

	private String run;

	private String[] ordersDatabase;

	private String[] participantsDatabase;

	private JdbcTemplate orders;

	private JdbcTemplate participants;

	abstract DatabaseServer server();

	@BeforeAll
	static void startBroker() {
		broker = KafkaBroker.start();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@BeforeEach
	void prepare(TestInfo test) {
		this.testName = getClass().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName();
		this.run = UUID.randomUUID().toString().substring(0, 8);
		this.ordersDatabase = server().emptyDatabase("dtx_saga_orders");
		this.participantsDatabase = server().emptyDatabase("dtx_saga_participants");
		this.orders = jdbc(this.ordersDatabase);
		this.participants = jdbc(this.participantsDatabase);
		// partitions enough for two orchestrator instances to share the replies
		for (String topic : List.of("payment-", "stock-", "delivery-")) {
			broker.createTopic(topic + this.run, 4);
		}
		broker.createTopic("orders-" + this.run + ".saga-replies", 4);
		SagaShop.Driving.OVERLAPS.clear();
	}

	@AfterEach
	void stop() {
		this.children.forEach(ChildJvm::close);
		this.services.forEach(ConfigurableApplicationContext::close);
		this.pools.forEach(HikariDataSource::close);
	}

	@Test
	void manySagasOnHotRowsDrivenByTwoOrchestratorsEachFinishOnceAsTheRowsSay() throws Exception {
		int stock = 250;
		startParticipants(stock);
		// impatient: the timeout scans of both instances race with the replies for the same sagas
		List<SagaOrchestrator> instances = List.of(startOrders("shop.impatience=250ms"),
				startOrders("shop.impatience=250ms"));
		String[] sagaIds = new String[HotRows.ORDERS];
		HotRows.Outcomes outcomes = HotRows
			.placeAll((number) -> sagaIds[number] = instances.get(number % 2).start(SagaShop.PLACE_ORDER, order(number)));
		assertThat(outcomes.foreign((number) -> null)).as("every start returned").isEmpty();
		Map<Integer, String> started = new TreeMap<>();
		for (int number = 0; number < HotRows.ORDERS; number++) {
			started.put(number, sagaIds[number]);
		}
		long settling = System.nanoTime();
		awaitFinished(HotRows.ORDERS);
		long settled = System.nanoTime();
		Judgement judgement = judge(instances.get(0), started, stock, HotRows::failsByDesign);
		String report = server() + ": " + HotRows.ORDERS + " sagas from " + HotRows.CALLERS + " callers on two"
				+ " orchestrators started in " + outcomes.took().toMillis() + " ms, finished "
				+ Duration.ofNanos(settled - settling).toMillis() + " ms later, judged in "
				+ Duration.ofNanos(System.nanoTime() - settled).toMillis() + " ms; " + judgement;
		System.out.println(report);
		assertThat(judgement.problems).as(report).isEmpty();
		assertThat(judgement.endings.keySet()).as("completed, declined and out of stock: this test tested each")
			.anyMatch((text) -> text.startsWith("COMPLETED"))
			.anyMatch((text) -> text.contains("card declined"))
			.anyMatch((text) -> text.contains("out of stock"));
		assertThat(judgement.resent).as("timeout scans raced with replies: this test tested it").isPositive();
	}

	// the databases' server stopped

	@Test
	@Tag(ServerOutage.TAG)
	void databasesStoppedWhileCallersStartSagasEachStartedSagaFinishesAndNoOtherStarts() throws Exception {
		// short: sagas started after the outage run out of stock and compensate
		int stock = 150;
		startParticipants(stock);
		ConfigurableApplicationContext orders = start(SagaShop.OrdersApplication.class, outageProof(
				properties("orders", this.ordersDatabase)));
		SagaOrchestrator orchestrator = orders.getBean(SagaOrchestrator.class);
		TransactionTemplate transaction = new TransactionTemplate(orders.getBean(PlatformTransactionManager.class));
		List<LocalCall> calls;
		try (Callers<LocalCall> callers = Callers.start(8, Integer.MAX_VALUE, LocalCall::new,
				(call) -> transaction.executeWithoutResult((status) -> {
					// one in five refused by its caller once the saga is started in its transaction
					orchestrator.start(SagaShop.PLACE_ORDER, order(call.number));
					call.statementsRan();
				}))) {
			await().atMost(TIMEOUT).until(() -> callers.completed() >= 40);
			try (ServerOutage outage = ServerOutage.begin(server())) {
				outage.holdFor(OUTAGE);
			}
			int resumedAt = callers.completed();
			await().atMost(TIMEOUT).until(() -> callers.completed() >= resumedAt + 40);
			calls = callers.finish(TIMEOUT);
		}
		Map<Integer, String> started = new TreeMap<>();
		for (Map<String, Object> row : this.orders.queryForList("select id, state from dtx_saga_instance")) {
			Order order = JsonMapper.builder().build().readValue((String) row.get("state"), Order.class);
			started.put(Integer.valueOf(order.id().substring(2)), (String) row.get("id"));
		}
		List<String> problems = new ArrayList<>();
		Map<String, Integer> heard = new TreeMap<>();
		for (LocalCall call : calls) {
			boolean present = started.containsKey(call.number);
			String wrong = switch (call.heard()) {
				case RETURNED -> present ? null : "its caller heard started, no saga is";
				case REFUSED, ERROR_BEFORE_COMMIT -> present ? "its caller heard " + call.heardDescription()
						+ ", its saga started" : null;
				case ERROR_AT_COMMIT -> null;
			};
			if (wrong != null) {
				problems.add("call " + call.number + ": " + wrong);
			}
			heard.merge(call.heard() + (present ? " | started" : " | not started") + ((wrong != null) ? " <-- WRONG" : ""),
					1, Integer::sum);
		}
		if (heard.keySet().stream().noneMatch((outcome) -> outcome.startsWith("ERROR_BEFORE_COMMIT"))) {
			problems.add("no caller heard the outage, so this test did not test it");
		}
		Judgement judgement = judge(orchestrator, started, stock, (number) -> false);
		problems.addAll(judgement.problems);
		String report = "the databases' server stopped on " + server() + ": " + calls.size() + " calls " + heard
				+ ", " + judgement;
		System.out.println(report);
		assertThat(problems).as(report).isEmpty();
	}

	/**
	 * Each started saga, by its order's number, finished as the rows say: an order COMPLETED
	 * with its payment CHARGED and its units taken, one out of stock FAILED with its payment
	 * REFUNDED, one declined FAILED with no payment, each step once; and the hot rows hold
	 * what the completed ones make them, no order but the started ones placed.
	 */
	private Judgement judge(SagaOrchestrator orchestrator, Map<Integer, String> started, int stock,
			IntPredicate declined) {
		awaitFinished(started.size());
		Judgement judgement = new Judgement();
		int amountTaken = 0;
		int unitsTaken = 0;
		int completed = 0;
		for (Map.Entry<Integer, String> saga : started.entrySet()) {
			int number = saga.getKey();
			String orderId = "o-" + number;
			SagaStatus status = orchestrator.status(saga.getValue());
			List<String> sends = orchestrator.history(saga.getValue());
			// commands sent again under their ids while their replies were on the way
			List<String> history = sends.stream().filter((entry) -> !entry.contains("RESENT: ")).toList();
			judgement.resent += sends.size() - history.size();
			String ending = status + ": "
					+ history.stream().filter((entry) -> entry.contains("FAILED")).findFirst().orElse("-");
			judgement.endings.merge(ending.replaceAll("[0-9]+", "n"), 1, Integer::sum);
			if (new HashSet<>(history).size() != history.size()) {
				judgement.problems.add(orderId + ": a step applied twice: " + history);
			}
			String orderState = this.orders.queryForObject("select state from orders where id = ?", String.class,
					orderId);
			String expected;
			if (status == SagaStatus.COMPLETED && !declined.test(number)) {
				expected = "COMPLETED [CHARGED] 8";
				amountTaken += HotRows.amount(number);
				unitsTaken += HotRows.quantity(number);
				completed++;
			}
			else if (status == SagaStatus.COMPENSATED && declined.test(number)) {
				expected = "FAILED [] 6";
			}
			else if (status == SagaStatus.COMPENSATED) {
				expected = "FAILED [REFUNDED] 10";
			}
			else {
				expected = "a saga COMPLETED unless it is declined";
			}
			String actual = orderState + " " + payments(orderId) + " " + history.size();
			if (!actual.equals(expected)) {
				judgement.problems
					.add(orderId + " " + status + ": " + actual + ", expected " + expected + "; " + history);
			}
		}
		int balance = balance();
		if (balance != SagaShop.OPENING_BALANCE - amountTaken) {
			judgement.problems.add("the hot account row holds " + balance + ", the completed sagas make it "
					+ (SagaShop.OPENING_BALANCE - amountTaken));
		}
		int available = this.participants.queryForObject("select available from stock where item = 'book'",
				Integer.class);
		if (available != stock - unitsTaken) {
			judgement.problems
				.add("the hot stock row holds " + available + ", the completed sagas make it " + (stock - unitsTaken));
		}
		int placed = this.orders.queryForObject("select orders from placed", Integer.class);
		if (placed != completed) {
			judgement.problems
				.add("the hot count of placed orders holds " + placed + ", " + completed + " sagas completed");
		}
		int orderRows = this.orders.queryForObject("select count(*) from orders", Integer.class);
		if (orderRows != started.size()) {
			judgement.problems.add(orderRows + " orders placed, " + started.size() + " sagas started");
		}
		judgement.problems.addAll(SagaShop.Driving.OVERLAPS);
		return judgement;
	}

	private void awaitFinished(int sagas) {
		try {
			await().atMost(TIMEOUT).until(() -> this.orders.queryForObject(
					"select count(*) from dtx_saga_instance where status in ('COMPLETED', 'COMPENSATED')",
					Integer.class) == sagas);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("not every saga of " + sagas + " finished: "
					+ this.orders.queryForList("select status, count(*) from dtx_saga_instance group by status"), ex);
		}
	}

	private static final class Judgement {

		final List<String> problems = new ArrayList<>();

		// by status and first failure, digits masked
		final Map<String, Integer> endings = new TreeMap<>();

		int resent;

		@Override
		public String toString() {
			return this.resent + " commands sent again, " + this.problems.size() + " problem(s), endings "
					+ this.endings + this.problems.stream().limit(20).map((problem) -> "\n  - " + problem).reduce("",
							String::concat);
		}

	}

	@Test
	void anOrchestratorKilledAfterItSentACommandFinishesTheSagaForwardOnceBack() {
		startParticipants(10);
		List<String> properties = properties("orders", this.ordersDatabase);
		properties.add("dtx.outbox.producer.interceptor.classes=" + SagaShop.WaitAfterCommand.class.getName());
		properties.add("shop.place=o-1");
		awaitCrash(startChild(SagaShop.ORCHESTRATOR_AFTER_COMMAND, properties), SagaShop.ORCHESTRATOR_AFTER_COMMAND);
		// its reply comes while it is down
		await().atMost(TIMEOUT).until(() -> payments("o-1").equals(List.of("CHARGED")));
		String sagaId = this.orders.queryForObject("select id from dtx_saga_instance", String.class);
		assertThat(storedHistory(sagaId)).last().isEqualTo("charge SENT");

		SagaOrchestrator orchestrator = startOrders();
		awaitStatus(orchestrator, sagaId, SagaStatus.COMPLETED);
		assertFinishedForwardOnce(orchestrator, sagaId);
	}

	@Test
	void anOrchestratorKilledAfterAReplyBeforeItsTransitionCommittedFinishesTheSagaForwardOnceBack() {
		startParticipants(10);
		List<String> properties = properties("orders", this.ordersDatabase);
		properties.add("shop.place=o-1");
		awaitCrash(startChild(SagaShop.ORCHESTRATOR_AFTER_REPLY, properties), SagaShop.ORCHESTRATOR_AFTER_REPLY);
		String sagaId = this.orders.queryForObject("select id from dtx_saga_instance", String.class);
		assertThat(storedHistory(sagaId)).as("the transition died with it").last().isEqualTo("charge SENT");
		assertThat(payments("o-1")).containsExactly("CHARGED");

		SagaOrchestrator orchestrator = startOrders();
		awaitStatus(orchestrator, sagaId, SagaStatus.COMPLETED);
		assertFinishedForwardOnce(orchestrator, sagaId);
	}

	@Test
	void aParticipantKilledInTheMiddleOfACommandAppliesItOnceWhenItIsDeliveredAgain() {
		SagaOrchestrator orchestrator = startOrders();
		ChildJvm participant = startChild(SagaShop.PARTICIPANT_MID_COMMAND,
				properties("participants", this.participantsDatabase));
		participant.awaitOutput(SagaShop.STARTED, TIMEOUT);
		String sagaId = orchestrator.start(SagaShop.PLACE_ORDER, new Order("o-1", "book", 1, 30, null));
		awaitCrash(participant, SagaShop.PARTICIPANT_MID_COMMAND);
		assertThat(payments("o-1")).as("its transaction died with it").isEmpty();
		assertThat(balance()).isEqualTo(SagaShop.OPENING_BALANCE);

		startParticipants(10);
		awaitStatus(orchestrator, sagaId, SagaStatus.COMPLETED);
		assertFinishedForwardOnce(orchestrator, sagaId);
	}

	private void assertFinishedForwardOnce(SagaOrchestrator orchestrator, String sagaId) {
		assertThat(orchestrator.history(sagaId)).containsExactly("- STARTED", "create DONE",
				"charge SENT: Charge to payment-" + this.run, "charge SUCCEEDED",
				"reserve SENT: Reserve to stock-" + this.run, "reserve SUCCEEDED", "finish DONE", "- COMPLETED");
		assertThat(payments("o-1")).containsExactly("CHARGED");
		assertThat(balance()).as("charged once").isEqualTo(SagaShop.OPENING_BALANCE - 30);
		assertThat(this.participants.queryForObject("select available from stock", Integer.class)).isEqualTo(9);
		assertThat(this.orders.queryForObject("select state from orders where id = 'o-1'", String.class))
			.isEqualTo("COMPLETED");
	}

	private static Order order(int number) {
		int amount = HotRows.failsByDesign(number) ? 2 * SagaShop.CARD_LIMIT : HotRows.amount(number);
		return new Order("o-" + number, "book", HotRows.quantity(number), amount, null);
	}

	private static void awaitStatus(SagaOrchestrator orchestrator, String sagaId, SagaStatus status) {
		try {
			await().atMost(TIMEOUT).until(() -> orchestrator.status(sagaId) == status);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("saga " + sagaId + " is " + orchestrator.status(sagaId) + ", not " + status
					+ ", after " + TIMEOUT + "; its history: " + orchestrator.history(sagaId), ex);
		}
	}

	private List<String> storedHistory(String sagaId) {
		return this.orders.queryForList(
				"select concat(step, concat(' ', event)) from dtx_saga_history where saga_id = ? order by seq",
				String.class, sagaId);
	}

	private List<String> payments(String orderId) {
		return this.participants.queryForList("select state from payment where order_id = ?", String.class, orderId);
	}

	private int balance() {
		return this.participants.queryForObject("select balance from account where id = 'alice'", Integer.class);
	}

	private SagaOrchestrator startOrders(String... more) {
		List<String> properties = properties("orders", this.ordersDatabase);
		properties.addAll(List.of(more));
		return start(SagaShop.OrdersApplication.class, properties).getBean(SagaOrchestrator.class);
	}

	private void startParticipants(int stock) {
		List<String> properties = outageProof(properties("participants", this.participantsDatabase));
		properties.add("shop.stock=" + stock);
		start(SagaShop.ParticipantsApplication.class, properties);
	}

	private ConfigurableApplicationContext start(Class<?> application, List<String> properties) {
		ConfigurableApplicationContext service = new SpringApplicationBuilder(application)
			.properties(properties.toArray(String[]::new))
			.run();
		this.services.add(service);
		return service;
	}

	// a caller that asks for a connection while the server is down hears so in 2 s, and the
	// pool keeps trying meanwhile, so it serves again as soon as the server answers
	private static List<String> outageProof(List<String> properties) {
		properties.addAll(List.of("spring.datasource.hikari.connection-timeout=2000",
				"spring.datasource.hikari.validation-timeout=1000"));
		return properties;
	}

	private List<String> properties(String role, String[] database) {
		return new ArrayList<>(List.of("shop.role=" + role, "run=" + this.run,
				"spring.application.name=" + role + "-" + this.run, "spring.datasource.url=" + database[0],
				"spring.datasource.username=" + database[1], "spring.datasource.password=" + database[2],
				"spring.datasource.hikari.maximum-pool-size=12", "spring.main.web-application-type=none",
				"spring.main.banner-mode=off", "spring.flyway.enabled=false",
				"spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
				// a killed service's partitions go to the next one once its session expired
				"spring.kafka.consumer.properties.session.timeout.ms=3000",
				"spring.kafka.consumer.properties.heartbeat.interval.ms=1000", "dtx.outbox.poll-interval=100ms",
				"dtx.messages.enabled=false",
				"dtx.saga.orchestration.timeout-check-interval=500ms"));
	}

	private ChildJvm startChild(String point, List<String> properties) {
		List<String> arguments = properties.stream().map((property) -> "--" + property).toList();
		ChildJvm child = ChildJvm.start(this.testName, List.of("-Dcrash.point=" + point), SagaShop.class, arguments);
		this.children.add(child);
		return child;
	}

	private static void awaitCrash(ChildJvm child, String point) {
		child.awaitOutput(CrashPoints.reached(point), TIMEOUT);
		// waiting there: this returns once it is dead
		child.kill();
	}

	// pooled: judging 200 sagas reads some 800 times, a connection each would take seconds
	private JdbcTemplate jdbc(String[] database) {
		HikariDataSource pool = Pools.of(database, 2);
		this.pools.add(pool);
		return new JdbcTemplate(pool);
	}

}
