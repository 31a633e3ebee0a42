package io.dtx.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.kafka.mock.MockProducerFactory;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one pass of the relay does while the broker has not answered yet, on H2. The
 * broker here is Kafka's {@link MockProducer}, whose acknowledgements the test gives one
 * at a time: no real broker can be held at the point between a send and its answer.
 */
class OutboxRelayPassTests extends OutboxTestSupport {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
			new ByteArraySerializer());

	@Override
	String[] emptyDatabase() {
		return new String[] { "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "" };
	}

	@Test
	void aMessageCommittedWhileAnEarlierOneAwaitsItsAcknowledgementGoesOutAtOnce() {
		afterAFirstSend((context, relay) -> {
			publish(context, relay, "b", "second");
			await().atMost(TIMEOUT).until(() -> this.producer.history().size() == 2);
			assertThat(states(context)).as("the first is still unacknowledged").containsExactly("PENDING", "PENDING");

			this.producer.completeNext();
			this.producer.completeNext();
			await().atMost(TIMEOUT).until(() -> states(context).equals(List.of("SENT", "SENT")));
			assertThat(values()).containsExactly("first", "second");
		});
	}

	@Test
	void aFailedSendHoldsBackTheLaterMessagesOfItsKeyUntilItIsSent() {
		afterAFirstSend((context, relay) -> {
			this.producer.errorNext(new NetworkException("broker gone"));
			publish(context, relay, "a", "second");

			// the second waits for the first's next attempt, after the backoff, and follows it
			await().atMost(TIMEOUT).until(() -> this.producer.history().size() == 3);
			assertThat(values()).containsExactly("first", "first", "second");
			this.producer.completeNext();
			this.producer.completeNext();
			await().atMost(TIMEOUT).until(() -> states(context).equals(List.of("SENT", "SENT")));
		});
	}

	// a running relay that has sent message "first" of key "a", not yet acknowledged
	private void afterAFirstSend(BiConsumer<AssertableApplicationContext, OutboxRelay> test) {
		contextRunner().withPropertyValues("dtx.outbox.relay-enabled=false").run((context) -> {
			OutboxRelay relay = relay(context);
			relay.start();
			try {
				publish(context, relay, "a", "first");
				await().atMost(TIMEOUT).until(() -> this.producer.history().size() == 1);
				test.accept(context, relay);
			}
			finally {
				relay.stop();
			}
		});
	}

	private OutboxRelay relay(AssertableApplicationContext context) {
		return new OutboxRelay(context.getBean(OutboxStore.class), context.getBean(PlatformTransactionManager.class),
				new MockProducerFactory<>(() -> this.producer), new JsonMapper(), new OutboxRelay.Settings(100, Duration.ofMillis(200), 5,
						Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMillis(1)),
				RelayObserver.NONE, ObservationRegistry.NOOP);
	}

	private static void publish(AssertableApplicationContext context, OutboxRelay relay, String key, String value) {
		transaction(context).executeWithoutResult((status) -> context.getBean(OutboxStore.class)
			.insert(UUID.randomUUID().toString(), "orders", key, value.getBytes(StandardCharsets.UTF_8), "{}"));
		relay.wakeUp();
	}

	private static List<String> states(AssertableApplicationContext context) {
		return jdbc(context).queryForList("select state from dtx_outbox order by id", String.class);
	}

	private List<String> values() {
		return this.producer.history()
			.stream()
			.map(ProducerRecord::value)
			.map((value) -> new String(value, StandardCharsets.UTF_8))
			.toList();
	}

}
