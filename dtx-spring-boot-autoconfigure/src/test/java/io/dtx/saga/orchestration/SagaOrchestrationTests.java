package io.dtx.saga.orchestration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.dtx.core.DtxHeaders;
import io.dtx.ops.ParkedWork;
import io.dtx.test.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The orchestrator and its participants over the in-process broker, each service a Spring
 * Boot application on its own H2 database: the order service defines the saga (create the
 * order locally, charge the payment service, reserve at the stock service, finish locally);
 * the payment and stock services handle their commands. Both outcomes, a duplicate reply,
 * and a start whose caller's transaction rolls back.
 */
class SagaOrchestrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static KafkaBroker broker;

	private final List<ConfigurableApplicationContext> services = new ArrayList<>();

	private ConfigurableApplicationContext orders;

	private ConfigurableApplicationContext participants;

	@BeforeAll
	static void startBroker() {
		broker = KafkaBroker.start();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@BeforeEach
	void startServices() {
		SagaShop.SEEN_IN_MDC.clear();
		String run = UUID.randomUUID().toString().substring(0, 8);
		for (String topic : List.of("payment-" + run, "stock-" + run, "delivery-" + run, "orders-" + run + ".saga-replies")) {
			broker.createTopic(topic, 2);
		}
		this.participants = start(SagaShop.ParticipantsApplication.class, run, "participants");
		this.orders = start(SagaShop.OrdersApplication.class, run, "orders");
	}

	@AfterEach
	void stopServices() {
		this.services.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void anOrderInStockCompletesWithEachStepOnce() {
		String sagaId = place("o-1", 2);
		awaitStatus(sagaId, SagaStatus.COMPLETED);
		assertThat(orderState("o-1")).isEqualTo("COMPLETED");
		assertThat(participantRows("select count(*) from payment where order_id = 'o-1' and state = 'CHARGED'"))
			.isOne();
		assertThat(participantRows("select available from stock where item = 'book'")).isEqualTo(8);
		assertThat(orchestrator().history(sagaId)).containsExactly("- STARTED", "create DONE",
				"charge SENT: Charge to payment-" + run(), "charge SUCCEEDED", "reserve SENT: Reserve to stock-" + run(),
				"reserve SUCCEEDED", "finish DONE", "- COMPLETED");
		assertThat(SagaShop.SEEN_IN_MDC).as("the saga's id in the MDC of its local steps and of its handlers")
			.containsExactly("create " + sagaId, "charge " + sagaId, "reserve " + sagaId, "finish " + sagaId);
		SimpleMeterRegistry meters = this.orders.getBean(SimpleMeterRegistry.class);
		await().atMost(TIMEOUT)
			.until(() -> meters.get("dtx.saga.orchestration.sagas")
				.tags("saga", "place-order", "status", "COMPLETED")
				.gauge()
				.value() == 1.0);
		assertThat(meters.get("dtx.saga.orchestration.sagas").tags("saga", "ship-order", "status", "RUNNING").gauge().value())
			.isZero();
	}

	@Test
	void anOrderOutOfStockIsRefundedThenFailedInReverse() {
		String sagaId = place("o-2", 50);
		awaitStatus(sagaId, SagaStatus.COMPENSATED);
		assertThat(orderState("o-2")).isEqualTo("FAILED");
		assertThat(participantRows("select count(*) from payment where order_id = 'o-2' and state = 'REFUNDED'"))
			.isOne();
		assertThat(participantRows("select available from stock where item = 'book'")).isEqualTo(10);
		assertThat(orchestrator().history(sagaId)).containsExactly("- STARTED", "create DONE",
				"charge SENT: Charge to payment-" + run(), "charge SUCCEEDED", "reserve SENT: Reserve to stock-" + run(),
				"reserve FAILED: IllegalStateException: out of stock: 50 x book",
				"charge COMPENSATION_SENT: Refund to payment-" + run(), "charge COMPENSATED", "create COMPENSATED",
				"- COMPENSATED");
	}

	@Test
	void aReplyDeliveredAgainDrivesTheSagaOnce() {
		String sagaId = place("o-3", 1);
		awaitStatus(sagaId, SagaStatus.COMPLETED);
		List<ConsumerRecord<String, String>> replies = broker.consumeToEnd("orders-" + run() + ".saga-replies",
				TIMEOUT);
		assertThat(replies).hasSize(2);
		List<String> history = orchestrator().history(sagaId);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
				new StringSerializer())) {
			for (ConsumerRecord<String, String> reply : replies) {
				// the same record again, and a copy under a new message id (a participant's reply sent twice)
				producer.send(new ProducerRecord<>(reply.topic(), null, reply.key(), reply.value(), reply.headers()));
				ProducerRecord<String, String> copy = new ProducerRecord<>(reply.topic(), null, reply.key(),
						reply.value(), reply.headers());
				copy.headers().remove(DtxHeaders.MESSAGE_ID).add(DtxHeaders.MESSAGE_ID, UUID.randomUUID().toString()
					.getBytes(java.nio.charset.StandardCharsets.UTF_8));
				producer.send(copy);
			}
			producer.flush();
		}
		// the orchestrator's inbox holds one entry per reply it took: 2, then 2 more for the copies
		await().atMost(TIMEOUT).until(() -> ordersRows("select count(*) from dtx_inbox") == 4);
		assertThat(orchestrator().history(sagaId)).isEqualTo(history);
		assertThat(orchestrator().status(sagaId)).isEqualTo(SagaStatus.COMPLETED);
		assertThat(participantRows("select count(*) from payment where order_id = 'o-3'")).isOne();
	}

	@Test
	void aSagaStartedInACallersTransactionThatRollsBackNeverStarts() {
		TransactionTemplate transaction = new TransactionTemplate(this.orders.getBean(PlatformTransactionManager.class));
		List<String> started = new ArrayList<>();
		assertThatIllegalStateException().isThrownBy(() -> transaction.executeWithoutResult((status) -> {
			started.add(place("o-4", 1));
			throw new IllegalStateException("the caller changed its mind");
		}));
		assertThat(orchestrator().status(started.get(0))).isNull();
		assertThat(ordersRows("select count(*) from dtx_outbox")).isZero();
		assertThat(ordersRows("select count(*) from orders")).isZero();
	}

	@Test
	void aStepWithoutAReplyIsSentAgainThenUndoneFromItselfOn() {
		String sagaId = orchestrator().start("ship-order", new SagaShop.Order("o-5", "book", 1, 30, null));
		awaitStatus(sagaId, SagaStatus.COMPENSATED);
		assertThat(participantRows("select count(*) from payment where order_id = 'o-5' and state = 'REFUNDED'"))
			.isOne();
		assertThat(orchestrator().history(sagaId)).containsExactly("- STARTED",
				"charge SENT: Charge to payment-" + run(), "charge SUCCEEDED", "ship SENT: Ship to delivery-" + run(),
				"ship RESENT: Ship to delivery-" + run(), "ship TIMED_OUT: no reply within PT1S, 2 sends",
				"charge COMPENSATION_SENT: Refund to payment-" + run(), "charge COMPENSATED", "- COMPENSATED");
		// the command went out twice under one id: a participant would have applied it once
		List<ConsumerRecord<String, String>> sent = broker.consumeToEnd("delivery-" + run(), TIMEOUT);
		assertThat(sent).hasSize(2);
		assertThat(sent).extracting((record) -> KafkaBroker.header(record, SagaHeaders.COMMAND_ID)).containsOnly(
				KafkaBroker.header(sent.get(0), SagaHeaders.COMMAND_ID));
	}

	@Test
	void aRefusedCompensationIsSentAgainThenFailedUntilAnOperatorRetriesIt() {
		participants().update("insert into refusing (what) values ('refunds')");
		String sagaId = place("o-6", 50);
		awaitStatus(sagaId, SagaStatus.FAILED);
		assertThat(orchestrator().history(sagaId)).containsSubsequence(
				"charge COMPENSATION_REFUSED: IllegalStateException: refunds are refused for now",
				"charge COMPENSATION_RESENT: Refund to payment-" + run(),
				"charge COMPENSATION_REFUSED: IllegalStateException: refunds are refused for now",
				"charge COMPENSATION_RESENT: Refund to payment-" + run(),
				"charge COMPENSATION_FAILED: IllegalStateException: refunds are refused for now");
		assertThat(participantRows("select count(*) from payment where order_id = 'o-6' and state = 'CHARGED'")).isOne();
		assertThat(orderState("o-6")).as("not undone past the refused step").isEqualTo("PENDING");

		// what the operations endpoint and the console show and do
		ParkedWork parked = this.orders.getBean(ParkedSagas.class);
		assertThat(parked.name()).isEqualTo("failed-saga-orchestrations");
		assertThat(parked.count()).isOne();
		assertThat(parked.list(10)).singleElement().isInstanceOfSatisfying(ParkedSaga.class, (saga) -> {
			assertThat(saga.sagaId()).isEqualTo(sagaId);
			assertThat(saga.step()).isEqualTo("charge");
			assertThat(saga.lastError()).isEqualTo("IllegalStateException: refunds are refused for now");
		});
		participants().update("delete from refusing");
		assertThat(parked.retry(sagaId)).isEqualTo("compensating again, a new round of max-attempts");
		awaitStatus(sagaId, SagaStatus.COMPENSATED);
		assertThat(parked.count()).isZero();
		assertThat(parked.retry(sagaId)).as("no longer parked").isNull();
		assertThat(parked.discard(sagaId)).isNull();
		assertThat(participantRows("select count(*) from payment where order_id = 'o-6' and state = 'REFUNDED'"))
			.isOne();
		assertThat(orderState("o-6")).isEqualTo("FAILED");
		assertThat(orchestrator().retry(sagaId)).as("only a FAILED saga is retried").isFalse();
	}

	@Test
	void anAbandonedSagaRunsNothingMore() {
		String sagaId = orchestrator().start("ship-order", new SagaShop.Order("o-7", "book", 1, 30, null));
		await().atMost(TIMEOUT).until(() -> orchestrator().history(sagaId).contains("ship SENT: Ship to delivery-" + run()));
		assertThat(this.orders.getBean(ParkedSagas.class).discard(sagaId)).as("running, not parked").isNull();
		assertThat(orchestrator().abandon(sagaId)).isTrue();
		assertThat(orchestrator().status(sagaId)).isEqualTo(SagaStatus.ABANDONED);
		assertThat(orchestrator().abandon(sagaId)).isFalse();
		assertThat(orchestrator().retry(sagaId)).isFalse();
		// no longer looked at for its overdue reply, and a late reply is dropped: it waits for none
		assertThat(orchestrator().overdue(100)).doesNotContain(sagaId);
		assertThat(orchestrator().history(sagaId)).last().isEqualTo("- ABANDONED");
	}

	@Test
	void aMalformedCommandIsRefusedWithAFailureReplyAndChangesNothing() {
		String replies = "probe-" + run();
		broker.createTopic(replies, 1);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
				new StringSerializer())) {
			ProducerRecord<String, String> command = new ProducerRecord<>("payment-" + run(), "s-1", "{not json");
			command.headers()
				.add(SagaHeaders.SAGA_ID, bytes("s-1"))
				.add(SagaHeaders.COMMAND_ID, bytes("c-1"))
				.add(SagaHeaders.COMMAND_TYPE, bytes("Charge"))
				.add(SagaHeaders.REPLY_TO, bytes(replies));
			producer.send(command);
			// no saga headers at all: not a command, dropped
			producer.send(new ProducerRecord<>("payment-" + run(), "s-2", "{}"));
			producer.flush();
		}
		await().atMost(TIMEOUT).until(() -> !broker.consumeToEnd(replies, Duration.ofSeconds(5)).isEmpty());
		ConsumerRecord<String, String> reply = broker.consumeToEnd(replies, TIMEOUT).get(0);
		assertThat(KafkaBroker.header(reply, SagaHeaders.OUTCOME)).isEqualTo(SagaHeaders.FAILURE);
		assertThat(KafkaBroker.header(reply, SagaHeaders.COMMAND_ID)).isEqualTo("c-1");
		assertThat(reply.value()).as("the reason, as a JSON string").startsWith("\"").hasSizeGreaterThan(10);
		assertThat(participantRows("select count(*) from payment")).isZero();
	}

	@Test
	void retentionDeletesSagasLongFinishedWithTheirHistoriesAndTheFenceRowsOfTheirCommands() {
		String completed = place("o-10", 1);
		String failed = place("o-11", 50);
		participants().update("insert into refusing (what) values ('refunds')");
		awaitStatus(completed, SagaStatus.COMPLETED);
		awaitStatus(failed, SagaStatus.FAILED);
		SagaRetention orders = this.orders.getBean(SagaRetention.class);
		SagaRetention participants = this.participants.getBean(SagaRetention.class);
		assertThat(orders.deleteExpired()).as("nothing is old yet").isZero();
		assertThat(participants.deleteExpired()).isZero();
		assertThat(participantRows("select count(*) from dtx_branch_fence where action like 'saga:%'")).isEqualTo(3);

		// eight days later, for the rows
		this.orders.getBean(JdbcTemplate.class)
			.update("update dtx_saga_instance set updated_at = dateadd('DAY', -8, updated_at)");
		participants().update("update dtx_branch_fence set updated_at = dateadd('DAY', -8, updated_at)");
		assertThat(orders.deleteExpired()).as("the completed saga; a FAILED one waits for an operator").isOne();
		assertThat(orchestrator().status(completed)).isNull();
		assertThat(orchestrator().history(completed)).isEmpty();
		assertThat(orchestrator().status(failed)).isEqualTo(SagaStatus.FAILED);
		assertThat(orchestrator().history(failed)).isNotEmpty();
		assertThat(participants.deleteExpired()).as("the charges and the reservation, tried").isEqualTo(3);
	}

	@Test
	void aCompensationThatComesBeforeItsCommandDoesNothingAndTheLateCommandIsRefused() {
		String replies = "probe-" + run();
		broker.createTopic(replies, 1);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
				new StringSerializer())) {
			// the charge overtaken by its refund, as after a timeout the orchestrator took for a loss
			ProducerRecord<String, String> refund = command("c-refund", "Refund", "{\"paymentId\":\"p-o-9\"}",
					replies);
			refund.headers().add(SagaHeaders.COMPENSATES, bytes("payment-" + run()));
			producer.send(refund);
			producer.flush();
			await().atMost(TIMEOUT).until(() -> broker.consumeToEnd(replies, Duration.ofSeconds(5)).size() == 1);
			producer.send(command("c-charge", "Charge", "{\"orderId\":\"o-9\",\"amount\":30}", replies));
			producer.flush();
		}
		await().atMost(TIMEOUT).until(() -> broker.consumeToEnd(replies, Duration.ofSeconds(5)).size() == 2);
		List<ConsumerRecord<String, String>> sent = broker.consumeToEnd(replies, TIMEOUT);
		assertThat(sent).extracting((reply) -> KafkaBroker.header(reply, SagaHeaders.COMMAND_ID) + " "
				+ KafkaBroker.header(reply, SagaHeaders.OUTCOME) + " " + reply.value())
			.containsExactly("c-refund SUCCESS null",
					"c-charge FAILURE \"its compensation came first: refused, nothing done\"");
		assertThat(participantRows("select count(*) from payment")).isZero();
		assertThat(participantRows("select balance from account")).isEqualTo(SagaShop.OPENING_BALANCE);
	}

	// a command of saga s-9's step charge, as an orchestrator sends it
	private ProducerRecord<String, String> command(String commandId, String type, String json, String replies) {
		ProducerRecord<String, String> command = new ProducerRecord<>("payment-" + run(), "s-9", json);
		command.headers()
			.add(SagaHeaders.SAGA_ID, bytes("s-9"))
			.add(SagaHeaders.STEP, bytes("charge"))
			.add(SagaHeaders.COMMAND_ID, bytes(commandId))
			.add(SagaHeaders.COMMAND_TYPE, bytes(type))
			.add(SagaHeaders.REPLY_TO, bytes(replies));
		return command;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	private JdbcTemplate participants() {
		return this.participants.getBean(JdbcTemplate.class);
	}

	private String place(String orderId, int quantity) {
		return orchestrator().start("place-order", new SagaShop.Order(orderId, "book", quantity, 30, null));
	}

	private void awaitStatus(String sagaId, SagaStatus status) {
		try {
			await().atMost(TIMEOUT).until(() -> orchestrator().status(sagaId) == status);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("saga " + sagaId + " is " + orchestrator().status(sagaId) + ", not " + status
					+ ", after " + TIMEOUT + "; its history: " + orchestrator().history(sagaId), ex);
		}
	}

	private SagaOrchestrator orchestrator() {
		return this.orders.getBean(SagaOrchestrator.class);
	}

	private String run() {
		return this.orders.getEnvironment().getRequiredProperty("run");
	}

	private String orderState(String orderId) {
		return this.orders.getBean(JdbcTemplate.class)
			.queryForObject("select state from orders where id = ?", String.class, orderId);
	}

	private int ordersRows(String sql) {
		return this.orders.getBean(JdbcTemplate.class).queryForObject(sql, Integer.class);
	}

	private int participantRows(String sql) {
		return this.participants.getBean(JdbcTemplate.class).queryForObject(sql, Integer.class);
	}

	private ConfigurableApplicationContext start(Class<?> application, String run, String name) {
		ConfigurableApplicationContext service = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.application.name=" + name + "-" + run, "run=" + run,
					"spring.datasource.url=jdbc:h2:mem:" + name + "-" + run,
					"spring.kafka.bootstrap-servers=" + broker.bootstrapServers(), "dtx.outbox.poll-interval=200ms",
					"dtx.messages.enabled=false",
					"dtx.saga.orchestration.timeout-check-interval=200ms",
					"dtx.saga.orchestration.compensation.max-attempts=3",
					"dtx.saga.orchestration.compensation.initial-backoff=100ms")
			.run();
		this.services.add(service);
		return service;
	}

}
