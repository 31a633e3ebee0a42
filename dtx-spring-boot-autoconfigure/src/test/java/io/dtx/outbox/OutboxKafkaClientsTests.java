package io.dtx.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka clients dtx makes, seen through their threads, whose names carry dtx's client
 * id: none before there is something to send, none left once the context is closed. The
 * threads alive before a test (other tests' in this JVM) are left out of what it checks.
 */
class OutboxKafkaClientsTests extends OutboxTestSupport {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final String PRODUCER_THREAD = "kafka-producer-network-thread";

	@Override
	String[] emptyDatabase() {
		return new String[] { "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "" };
	}

	@Test
	void closingTheContextAfterASendLeavesNoThreadOfDtxAlive() {
		Set<Thread> before = dtxThreads();
		String topic = topic(1);
		contextRunner().run((context) -> {
			publish(context, topic);
			await().atMost(TIMEOUT).until(() -> states(context).equals(List.of("SENT")));
			assertThat(names(startedSince(before))).as("the relay's producer, open while the context runs")
				.anyMatch((name) -> name.contains(PRODUCER_THREAD));
		});
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(names(startedSince(before))).as("threads of dtx after the close").isEmpty());
	}

	@Test
	void aRelayWithNothingToSendOpensNoConnection() {
		Set<Thread> before = dtxThreads();
		contextRunner().run((context) -> {
			OutboxRelay relay = context.getBean(OutboxRelay.class);
			// each a whole pass over every bucket: on H2 a pass waits for the buckets the
			// relay's own thread holds rather than skipping them
			for (int pass = 0; pass < 3; pass++) {
				assertThat(relay.relayOnce()).isZero();
			}
			assertThat(names(startedSince(before))).noneMatch((name) -> name.contains(PRODUCER_THREAD));
		});
	}

	@Test
	void aStoppedRelayClosesItsProducerAndMakesANewOneWhenItStartsAgain() {
		Set<Thread> before = dtxThreads();
		String topic = topic(1);
		contextRunner().run((context) -> {
			OutboxRelay relay = context.getBean(OutboxRelay.class);
			publish(context, topic);
			await().atMost(TIMEOUT).until(() -> states(context).equals(List.of("SENT")));

			relay.stop();
			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(names(startedSince(before)))
					.noneMatch((name) -> name.contains(PRODUCER_THREAD)));

			relay.start();
			publish(context, topic);
			await().atMost(TIMEOUT).until(() -> states(context).equals(List.of("SENT", "SENT")));
			assertThat(broker.consume(topic, 2, TIMEOUT)).hasSize(2);
		});
	}

	private static void publish(AssertableApplicationContext context, String topic) {
		transaction(context)
			.executeWithoutResult((status) -> context.getBean(Outbox.class).publish(topic, "key", "value"));
	}

	private static List<String> states(AssertableApplicationContext context) {
		return jdbc(context).queryForList("select state from dtx_outbox order by id", String.class);
	}

	// by name: the relay's own thread, its producer's network thread (named after the
	// client id dtx-outbox-relay), and any other client dtx would make under its name
	private static Set<Thread> dtxThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().contains("dtx"))
			.collect(Collectors.toSet());
	}

	private static Set<Thread> startedSince(Set<Thread> before) {
		Set<Thread> threads = dtxThreads();
		threads.removeAll(before);
		return threads;
	}

	private static List<String> names(Set<Thread> threads) {
		return threads.stream().map(Thread::getName).sorted().toList();
	}

}
