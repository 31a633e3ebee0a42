package io.dtx.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.dtx.core.DtxHeaders;
import io.dtx.outbox.crash.RelayMain;
import io.dtx.outbox.crash.StallingInterceptor;
import io.dtx.test.ChildJvm;
import io.dtx.test.KafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox under faults, on a database server: the broker stopped while the
 * application writes, the relay's JVM killed with SIGKILL in the middle of a batch, and
 * two relays on one table. Every message committed arrives, and each key's messages
 * arrive in the order they were published: every record carries its key's sequence
 * number and the consumer checks it. The second relay's part is made certain: the first
 * is stopped in the middle of its stream, and the second takes over its buckets. One subclass per database server.
 */
abstract class OutboxFaultContractTests extends OutboxTestSupport {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@Override
	List<String> properties() {
		List<String> properties = super.properties();
		properties.addAll(List.of("dtx.outbox.send-timeout=2s", "dtx.outbox.initial-backoff=100ms",
				"dtx.outbox.max-backoff=500ms", "dtx.outbox.max-attempts=1000"));
		return properties;
	}

	@Test
	void brokerStoppedWhileTheApplicationWritesLosesNothingAndDrainsInOrder() {
		String topic = topic(1);
		contextRunner().run((context) -> {
			publish(context, topic, 5, 0, 10);
			assertInOrder(broker.consume(topic, 50, TIMEOUT), 5, 0, 10);

			broker.stop();
			publish(context, topic, 5, 10, 30);
			assertThat(count(context, "state = 'PENDING'")).as("the rows wait in the outbox").isEqualTo(100);

			broker.restart();
			broker.createTopic(topic, 1);
			await().atMost(TIMEOUT).until(() -> count(context, "state = 'PENDING'") == 0);
			assertInOrder(broker.consume(topic, 100, TIMEOUT), 5, 10, 30);
			assertThat(count(context, "state = 'DEAD'")).isZero();
		});
	}

	@Test
	void twoRelaysOnOneTableNeverDeliverAKeyOutOfOrder() throws Exception {
		String topic = topic(3);
		// the first's acknowledgements can be held; its sends wait for them, not for a timeout
		contextRunner()
			.withPropertyValues("dtx.outbox.batch-size=100", "dtx.outbox.send-timeout=30s",
					"dtx.outbox.producer.interceptor.classes=" + AcknowledgementGate.class.getName())
			.run((first) -> contextRunner().withPropertyValues("dtx.outbox.batch-size=100").run((second) -> {
				OutboxRelay firstRelay = first.getBean(OutboxRelay.class);
				OutboxRelay secondRelay = second.getBean(OutboxRelay.class);
				try {
					// the first relays alone: every bucket is free for its passes
					secondRelay.stop();
					publishRound(topic, first, second, 0);
					await().atMost(TIMEOUT).until(() -> sent(first) == 1000);

					// the first in the middle of its stream: sends on their way, unanswered, and
					// every bucket held, with the next round (far more than a batch) behind them
					AcknowledgementGate.hold();
					publishRound(topic, first, second, 1);
					await().atMost(TIMEOUT).until(AcknowledgementGate::holding);
					assertThat(secondRelay.relayOnce()).as("a pass of the second while the first holds every bucket")
						.isZero();
					secondRelay.start();

					// the first stops there, finishing what is on its way: the second must take
					// over its buckets and send the rest of the round
					CompletableFuture<Void> stopped = CompletableFuture.runAsync(firstRelay::stop);
					AcknowledgementGate.release();
					stopped.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
					await().atMost(TIMEOUT).until(() -> count(first, "state = 'PENDING'") == 0);
					assertThat(sent(first)).as("the first, alone and then until it stopped").isGreaterThan(1000);
					assertThat(sent(second)).as("the second, after the handover").isPositive();

					// both again, neither held, while the applications publish through both
					firstRelay.start();
					publishRound(topic, first, second, 2);
					await().atMost(TIMEOUT).until(() -> count(first, "state = 'PENDING'") == 0);
				}
				finally {
					AcknowledgementGate.release();
				}
				assertThat(sent(first) + sent(second)).isEqualTo(3000);
				// every record the broker holds; a message sent twice counts once, as the inbox takes it
				List<ConsumerRecord<String, String>> received = firstOfEachMessage(broker.consumeToEnd(topic, TIMEOUT));
				assertThat(received).hasSize(3000);
				Map<String, List<Integer>> byKey = sequences(received);
				assertThat(byKey).hasSize(20);
				List<Integer> everySequence = range(0, 150);
				byKey.forEach((key, sequence) -> assertThat(sequence).as("the sequence of key " + key)
					.isEqualTo(everySequence));
			}));
	}

	private static List<ConsumerRecord<String, String>> firstOfEachMessage(List<ConsumerRecord<String, String>> records) {
		Set<String> seen = new HashSet<>();
		return records.stream().filter((record) -> seen.add(KafkaBroker.header(record, DtxHeaders.MESSAGE_ID))).toList();
	}

	// four threads, each publishing its own five keys, sequence after sequence, through either instance
	private static void publishRound(String topic, AssertableApplicationContext first,
			AssertableApplicationContext second, int round) throws Exception {
		ExecutorService publishers = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int thread = 0; thread < 4; thread++) {
				AssertableApplicationContext instance = (thread % 2 == 0) ? first : second;
				String prefix = "t" + thread + "-";
				done.add(publishers.submit(() -> {
					for (int sequence = round * 50; sequence < (round + 1) * 50; sequence++) {
						int current = sequence;
						transaction(instance).executeWithoutResult((status) -> {
							for (int key = 0; key < 5; key++) {
								instance.getBean(Outbox.class).publish(topic, prefix + key, Integer.toString(current));
							}
						});
					}
				}));
			}
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			publishers.shutdownNow();
		}
	}

	private static double sent(AssertableApplicationContext instance) {
		return instance.getBean(MeterRegistry.class).get("dtx.outbox.sent").counter().count();
	}

	@Test
	void relayKilledInTheMiddleOfABatchLosesNothingAndTheInboxDropsWhatItSendsAgain() {
		String topic = topic(3);
		contextRunner().withPropertyValues("dtx.outbox.relay-enabled=false").run((context) -> {
			publish(context, topic, 10, 0, 50);
			// a rolled-back message, which must never reach Kafka whatever happens after
			transaction(context).executeWithoutResult((status) -> {
				context.getBean(Outbox.class).publish(topic, "key-0", "rolled back");
				status.setRollbackOnly();
			});
		});
		List<String> arguments = new ArrayList<>(properties().stream().map((property) -> "--" + property).toList());
		arguments.addAll(List.of("--spring.main.web-application-type=none", "--spring.main.keep-alive=true",
				"--spring.flyway.enabled=false",
				"--dtx.outbox.batch-size=100",
				"--dtx.outbox.producer.interceptor.classes=" + StallingInterceptor.class.getName()));
		try (ChildJvm relay = ChildJvm.start(getClass().getSimpleName() + "-relay", List.of("-Ddtx.crash.after-acks=150"),
				RelayMain.class, arguments)) {
			relay.awaitOutput(StallingInterceptor.STALLED, TIMEOUT);
			relay.kill();
		}
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		// how many the batches before it held depends on the buckets the relay took, so only a bound
		assertThat(jdbc.queryForObject("select count(*) from dtx_outbox where state = 'SENT'", Integer.class))
			.as("the batch on the broker when the JVM died was acknowledged in part and never marked")
			.isLessThan(150);
		List<ConsumerRecord<String, String>> beforeRestart = broker.consume(topic, 150, TIMEOUT);
		assertThat(beforeRestart.size()).isGreaterThanOrEqualTo(150);

		contextRunner().run((context) -> {
			await().atMost(TIMEOUT).until(() -> count(context, "state = 'PENDING'") == 0);
			List<ConsumerRecord<String, String>> records = broker.consume(topic, 10_000, Duration.ofSeconds(5));
			assertThat(records.size()).as("what the killed relay had sent unmarked is sent again")
				.isGreaterThan(500);
			assertThat(records).extracting(ConsumerRecord::value).doesNotContain("rolled back");
			Inbox inbox = context.getBean(Inbox.class);
			AtomicInteger applied = new AtomicInteger();
			List<ConsumerRecord<String, String>> appliedRecords = new ArrayList<>();
			for (ConsumerRecord<String, String> record : records) {
				inbox.receive("checker", KafkaBroker.header(record, DtxHeaders.MESSAGE_ID), () -> {
					applied.incrementAndGet();
					appliedRecords.add(record);
				});
			}
			assertThat(applied).hasValue(500);
			assertInOrder(appliedRecords, 10, 0, 50);
		});
	}

	private void publish(AssertableApplicationContext context, String topic, int keys, int from, int to) {
		Outbox outbox = context.getBean(Outbox.class);
		for (int sequence = from; sequence < to; sequence++) {
			int current = sequence;
			transaction(context).executeWithoutResult((status) -> {
				for (int key = 0; key < keys; key++) {
					outbox.publish(topic, "key-" + key, Integer.toString(current));
				}
			});
		}
	}

	private static void assertInOrder(List<ConsumerRecord<String, String>> records, int keys, int from, int to) {
		Map<String, List<Integer>> byKey = sequences(records);
		assertThat(byKey).hasSize(keys);
		byKey.values().forEach((sequence) -> assertThat(sequence).isEqualTo(range(from, to)));
	}

	private static Map<String, List<Integer>> sequences(List<ConsumerRecord<String, String>> records) {
		Map<String, List<Integer>> byKey = new LinkedHashMap<>();
		records.forEach((record) -> byKey.computeIfAbsent(record.key(), (key) -> new ArrayList<>())
			.add(Integer.parseInt(record.value())));
		return byKey;
	}

	private static List<Integer> range(int from, int to) {
		List<Integer> range = new ArrayList<>();
		for (int i = from; i < to; i++) {
			range.add(i);
		}
		return range;
	}

	private static int count(AssertableApplicationContext context, String where) {
		return jdbc(context).queryForObject("select count(*) from dtx_outbox where " + where, Integer.class);
	}

	private DataSource dataSource() {
		return org.springframework.boot.jdbc.DataSourceBuilder.create()
			.url(this.database[0])
			.username(this.database[1])
			.password(this.database[2])
			.build();
	}

}
