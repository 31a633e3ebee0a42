package io.dtx.saga.orchestration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.dtx.saga.orchestration.SagaShop.Order;
import io.dtx.tcc.crash.CrashPoints;
import io.dtx.test.ChildJvm;
import io.dtx.test.DatabaseServer;
import io.dtx.test.HotRows;
import io.dtx.test.KafkaBroker;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sagas by commands on a real database server with the in-process broker, the order,
 * payment and stock services of {@link SagaShop} each on a database of its own: many sagas
 * on hot rows, driven by two orchestrator instances whose timeout scans race with the
 * replies; and {@code kill -9} of the
 * orchestrator after it sent a command, of the orchestrator after a reply came and before
 * its transition committed, and of a participant in the middle of a command — after which
 * every saga finishes forward, each step applied once. One subclass per database vendor.
 */
abstract class SagaFaultContractTests {

	static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static KafkaBroker broker;

	private final List<ChildJvm> children = new ArrayList<>();

	private final List<ConfigurableApplicationContext> services = new ArrayList<>();

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
	}

	@Test
	void manySagasOnHotRowsDrivenByTwoOrchestratorsEachFinishOnceAsTheRowsSay() throws Exception {
		int stock = 250;
		startParticipants(stock);
		// impatient: the timeout scans of both instances race with the replies for the same sagas
		List<SagaOrchestrator> instances = List.of(startOrders("shop.impatience=100ms"),
				startOrders("shop.impatience=100ms"));
		String[] sagaIds = new String[HotRows.ORDERS];
		HotRows.Outcomes outcomes = HotRows
			.placeAll((number) -> sagaIds[number] = instances.get(number % 2).start(SagaShop.PLACE_ORDER, order(number)));
		assertThat(outcomes.foreign((number) -> null)).as("every start returned").isEmpty();
		SagaOrchestrator orchestrator = instances.get(0);
		try {
			await().atMost(TIMEOUT).until(() -> this.orders.queryForObject(
					"select count(*) from dtx_saga_instance where status in ('COMPLETED', 'COMPENSATED')",
					Integer.class) == HotRows.ORDERS);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("not every saga finished: " + this.orders
				.queryForList("select status, count(*) from dtx_saga_instance group by status"), ex);
		}

		List<String> problems = new ArrayList<>();
		Map<String, Integer> endings = new TreeMap<>();
		int amountTaken = 0;
		int unitsTaken = 0;
		int completed = 0;
		int resent = 0;
		for (int number = 0; number < HotRows.ORDERS; number++) {
			String orderId = "o-" + number;
			SagaStatus status = orchestrator.status(sagaIds[number]);
			List<String> sends = orchestrator.history(sagaIds[number]);
			// commands sent again under their ids while their replies were on the way
			List<String> history = sends.stream().filter((entry) -> !entry.contains("RESENT: ")).toList();
			resent += sends.size() - history.size();
			String ending = status + ": "
					+ history.stream().filter((entry) -> entry.contains("FAILED")).findFirst().orElse("-");
			endings.merge(ending.replaceAll("[0-9]+", "n"), 1, Integer::sum);
			if (new HashSet<>(history).size() != history.size()) {
				problems.add(orderId + ": a step applied twice: " + history);
			}
			String orderState = this.orders.queryForObject("select state from orders where id = ?", String.class,
					orderId);
			List<String> payments = this.participants
				.queryForList("select state from payment where order_id = ?", String.class, orderId);
			String expected;
			if (status == SagaStatus.COMPLETED && !HotRows.failsByDesign(number)) {
				expected = "COMPLETED [CHARGED] 8";
				amountTaken += HotRows.amount(number);
				unitsTaken += HotRows.quantity(number);
				completed++;
			}
			else if (status == SagaStatus.COMPENSATED && HotRows.failsByDesign(number)) {
				expected = "FAILED [] 6";
			}
			else if (status == SagaStatus.COMPENSATED) {
				expected = "FAILED [REFUNDED] 10";
			}
			else {
				expected = "a saga COMPLETED unless it is declined";
			}
			String actual = orderState + " " + payments + " " + history.size();
			if (!actual.equals(expected)) {
				problems.add(orderId + " " + status + ": " + actual + ", expected " + expected + "; " + history);
			}
		}
		int balance = this.participants.queryForObject("select balance from account where id = 'alice'",
				Integer.class);
		if (balance != SagaShop.OPENING_BALANCE - amountTaken) {
			problems.add("the hot account row holds " + balance + ", the completed sagas make it "
					+ (SagaShop.OPENING_BALANCE - amountTaken));
		}
		int available = this.participants.queryForObject("select available from stock where item = 'book'",
				Integer.class);
		if (available != stock - unitsTaken) {
			problems.add("the hot stock row holds " + available + ", the completed sagas make it " + (stock - unitsTaken));
		}
		int placed = this.orders.queryForObject("select orders from placed", Integer.class);
		if (placed != completed) {
			problems.add("the hot count of placed orders holds " + placed + ", " + completed + " sagas completed");
		}
		problems.addAll(SagaShop.Driving.OVERLAPS);
		String report = server() + ": " + HotRows.ORDERS + " sagas from " + HotRows.CALLERS + " callers on two"
				+ " orchestrators in " + outcomes.took().toMillis() + " ms, " + resent + " commands sent again, "
				+ problems.size() + " problem(s), endings " + endings;
		System.out.println(report);
		assertThat(problems).as(report).isEmpty();
		assertThat(endings.keySet()).as("completed, declined and out of stock: this test tested each")
			.anyMatch((text) -> text.startsWith("COMPLETED"))
			.anyMatch((text) -> text.contains("card declined"))
			.anyMatch((text) -> text.contains("out of stock"));
		assertThat(resent).as("timeout scans raced with replies: this test tested it").isPositive();
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
		List<String> properties = properties("participants", this.participantsDatabase);
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

	private List<String> properties(String role, String[] database) {
		return new ArrayList<>(List.of("shop.role=" + role, "run=" + this.run,
				"spring.application.name=" + role + "-" + this.run, "spring.datasource.url=" + database[0],
				"spring.datasource.username=" + database[1], "spring.datasource.password=" + database[2],
				"spring.datasource.hikari.maximum-pool-size=12", "spring.main.web-application-type=none",
				"spring.main.banner-mode=off", "spring.flyway.enabled=false",
				"spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
				// a killed service's partitions go to the next one once its session expired
				"spring.kafka.consumer.properties.session.timeout.ms=6000",
				"spring.kafka.consumer.properties.heartbeat.interval.ms=1000", "dtx.outbox.poll-interval=100ms",
				"dtx.messages.enabled=false", "dtx.coordinator.enabled=false",
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

	private static JdbcTemplate jdbc(String[] database) {
		return new JdbcTemplate(new DriverManagerDataSource(database[0], database[1], database[2]));
	}

}
