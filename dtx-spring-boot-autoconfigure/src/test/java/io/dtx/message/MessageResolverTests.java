package io.dtx.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import io.dtx.core.DtxHeaders;
import io.dtx.test.KafkaBroker;
import io.dtx.test.Ports;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The resolver in running services on H2 with the in-process broker: committed messages
 * delivered once with their headers, rolled-back ones never; a half message without a
 * decision resolved by the signed check-back, either way; a resolver stopped and started
 * again, and two resolvers sharing the partitions, deliver each committed message once.
 */
class MessageResolverTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static KafkaBroker broker;

	private final List<ConfigurableApplicationContext> services = new ArrayList<>();

	private String halfTopic;

	private String topic;

	private String database;

	@BeforeAll
	static void startBroker() {
		broker = KafkaBroker.start();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@BeforeEach
	void prepare() {
		this.halfTopic = "half-" + UUID.randomUUID();
		this.topic = "payments-" + UUID.randomUUID();
		broker.createTopic(this.halfTopic, 4);
		broker.createTopic(this.topic, 4);
		this.database = "jdbc:h2:mem:payments-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
	}

	@AfterEach
	void stop() {
		this.services.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void committedMessagesAreDeliveredOnceWithTheirHeadersAndRolledBackOnesNever() {
		ConfigurableApplicationContext payments = start(true);
		TransactionalMessages messages = payments.getBean(TransactionalMessages.class);
		Set<String> committed = new HashSet<>();
		for (int i = 0; i < 20; i++) {
			String key = "order-" + (i % 5);
			committed.add(messages.send(this.topic, key, Map.of("n", i), Map.of("tenant", "acme"), () -> {
			}));
			assertThatIllegalStateException().isThrownBy(() -> messages.send(this.topic, key, "dropped", () -> {
				throw new IllegalStateException("rolled back");
			}));
		}

		List<ConsumerRecord<String, String>> delivered = settledDeliveries(committed.size(), payments);
		assertThat(delivered).extracting((record) -> KafkaBroker.header(record, DtxHeaders.MESSAGE_ID))
			.containsExactlyInAnyOrderElementsOf(committed);
		ConsumerRecord<String, String> one = delivered.get(0);
		assertThat(one.key()).startsWith("order-");
		assertThat(one.value()).startsWith("{\"n\":");
		assertThat(KafkaBroker.header(one, "tenant")).isEqualTo("acme");
		assertThat(one.headers().lastHeader(MessageRecords.KIND)).as("the half topic's own headers stay there").isNull();
		assertThat(one.headers().lastHeader(MessageRecords.PRODUCER)).isNull();
		MeterRegistry meters = payments.getBean(MeterRegistry.class);
		assertThat(meters.get("dtx.messages.delivered").functionCounter().count()).isEqualTo(20);
		assertThat(meters.get("dtx.messages.dropped").functionCounter().count()).isEqualTo(20);
		assertThat(meters.get("dtx.messages.pending").gauge().value()).isZero();
	}

	@Test
	void aHalfMessageWithoutADecisionIsResolvedByItsProducersCheckBackEitherWay() throws Exception {
		ConfigurableApplicationContext payments = start(true);
		JdbcTemplate jdbc = new JdbcTemplate(payments.getBean(DataSource.class));
		String producer = payments.getEnvironment().getProperty("dtx.http.self-url");
		// two producers that died after their half message: one after its local commit, one before
		jdbc.update("insert into dtx_message_barrier (message_id, state, created_at) values ('committed-1',"
				+ " 'COMMITTED', current_timestamp)");
		try (KafkaProducer<String, byte[]> kafka = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
			for (String id : List.of("committed-1", "lost-1")) {
				kafka.send(MessageRecords.half(this.halfTopic, id, this.topic, id, "{}".getBytes(), Map.of(), producer))
					.get(30, TimeUnit.SECONDS);
			}
		}

		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(jdbc.queryForList(
				"select concat(message_id, ' ', state) from dtx_message_barrier order by message_id", String.class))
			.containsExactly("committed-1 COMMITTED", "lost-1 ROLLED_BACK"));
		assertThat(settledDeliveries(1, payments)).extracting((record) -> KafkaBroker.header(record, DtxHeaders.MESSAGE_ID))
			.containsExactly("committed-1");
		assertThat(payments.getBean(MessageResolver.class).checks()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void aResolverStartedAgainAndTwoSharingThePartitionsDeliverEachMessageOnce() {
		ConfigurableApplicationContext first = start(true);
		Set<String> committed = new HashSet<>(sendCommitted(first, 30));
		first.stop();
		committed.addAll(sendCommitted(first, 30));
		first.start();
		ConfigurableApplicationContext second = start(true);
		committed.addAll(sendCommitted(second, 30));

		List<ConsumerRecord<String, String>> delivered = settledDeliveries(committed.size(), first, second);
		assertThat(delivered).extracting((record) -> KafkaBroker.header(record, DtxHeaders.MESSAGE_ID))
			.containsExactlyInAnyOrderElementsOf(committed);
	}

	@Test
	void aMessageWhoseProducerNeverAnswersIsParkedListedAndResolvedWhenRetriedOnceItIsBack() throws Exception {
		ConfigurableApplicationContext payments = start(true, Ports.free(), "dtx.messages.resolver.max-checks=2");
		MessageResolver resolver = payments.getBean(MessageResolver.class);
		ParkedMessages parked = payments.getBean(ParkedMessages.class);
		int gonePort = Ports.free();
		try (KafkaProducer<String, byte[]> kafka = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
			kafka.send(MessageRecords.half(this.halfTopic, "stranded-1", this.topic, "order-1", "{}".getBytes(), Map.of(),
					"http://localhost:" + gonePort))
				.get(30, TimeUnit.SECONDS);
		}
		await().atMost(TIMEOUT).until(() -> parked.count() == 1);
		assertThat(parked.list(10)).singleElement().satisfies((message) -> {
			assertThat(message.messageId()).isEqualTo("stranded-1");
			assertThat(message.topic()).isEqualTo(this.topic);
			assertThat(message.checks()).isEqualTo(2);
			assertThat(message.lastError()).contains("ConnectException");
		});
		long checks = resolver.checks();
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> parked.discard("stranded-1"));
		assertThat(parked.retry("nope")).isNull();

		// its producer comes back (sharing the database, where its local transaction committed), and is retried
		new JdbcTemplate(payments.getBean(DataSource.class)).update("insert into dtx_message_barrier"
				+ " (message_id, state, created_at) values ('stranded-1', 'COMMITTED', current_timestamp)");
		start(false, gonePort);
		assertThat(parked.retry("stranded-1")).isNotNull();
		assertThat(settledDeliveries(1, payments)).extracting((record) -> KafkaBroker.header(record, DtxHeaders.MESSAGE_ID))
			.containsExactly("stranded-1");
		assertThat(resolver.checks()).isGreaterThan(checks);
		assertThat(parked.count()).isZero();
	}

	private List<String> sendCommitted(ConfigurableApplicationContext service, int count) {
		TransactionalMessages messages = service.getBean(TransactionalMessages.class);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(messages.send(this.topic, "order-" + (i % 7), Map.of("n", i), () -> {
			}));
		}
		return ids;
	}

	// once as many as expected were delivered and no resolver holds a half message, what the
	// topic holds (read committed) is all there will be: a duplicate would be there too
	private List<ConsumerRecord<String, String>> settledDeliveries(int expected,
			ConfigurableApplicationContext... resolvers) {
		await().atMost(TIMEOUT)
			.until(() -> broker.consumeToEnd(this.topic, TIMEOUT).size() >= expected && List.of(resolvers)
				.stream()
				.mapToInt((service) -> service.getBean(MessageResolver.class).pending())
				.sum() == 0);
		return broker.consumeToEnd(this.topic, TIMEOUT);
	}

	private ConfigurableApplicationContext start(boolean resolving) {
		return start(resolving, Ports.free());
	}

	private ConfigurableApplicationContext start(boolean resolving, int port, String... properties) {
		ConfigurableApplicationContext service = new SpringApplicationBuilder(PaymentsApplication.class)
			.properties("spring.main.banner-mode=off", "spring.datasource.url=" + this.database, "server.port=" + port,
					"spring.kafka.bootstrap-servers=" + broker.bootstrapServers(), "dtx.http.secret=shared-secret",
					"dtx.http.self-url=http://localhost:" + port, "dtx.messages.half-topic=" + this.halfTopic,
					"dtx.messages.resolver.enabled=" + resolving, "dtx.messages.resolver.check-after=1s",
					"dtx.messages.resolver.initial-backoff=200ms", "dtx.messages.resolver.poll-timeout=100ms",
					"dtx.recovery.enabled=false", "dtx.outbox.relay-enabled=false")
			.properties(properties)
			.run();
		this.services.add(service);
		return service;
	}

	@SpringBootApplication
	static class PaymentsApplication {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
