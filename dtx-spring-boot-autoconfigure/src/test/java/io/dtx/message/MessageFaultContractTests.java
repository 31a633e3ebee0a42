package io.dtx.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.dtx.core.DtxHeaders;
import io.dtx.tcc.crash.CrashPoints;
import io.dtx.test.ChildJvm;
import io.dtx.test.DatabaseServer;
import io.dtx.test.KafkaBroker;
import io.dtx.test.Ports;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Transactional messages under {@code kill -9}, with the producer's database on a real
 * server and the in-process broker: a producer killed before its local commit is rolled
 * back by the check-back once it is back (check-backs retried while it is down), one
 * killed after its local commit and before its decision is delivered once. One subclass
 * per database vendor; the resolver, which keeps nothing in a database, is killed in
 * {@link PostgresMessageFaultTests} only.
 */
abstract class MessageFaultContractTests {

	static final Duration TIMEOUT = Duration.ofSeconds(90);

	static KafkaBroker broker;

	private final List<ChildJvm> children = new ArrayList<>();

	private final List<ConfigurableApplicationContext> services = new ArrayList<>();

	private String testName;

	private String[] database;

	private JdbcTemplate jdbc;

	private String halfTopic;

	String topic;

	private int producerPort;

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
		this.database = server().emptyDatabase("dtx_message_faults");
		this.jdbc = new JdbcTemplate(new DriverManagerDataSource(this.database[0], this.database[1], this.database[2]));
		this.jdbc.execute("create table account (id varchar(16) primary key, balance integer not null)");
		this.jdbc.update("insert into account (id, balance) values ('alice', 100)");
		this.halfTopic = "half-" + UUID.randomUUID();
		this.topic = "payments-" + UUID.randomUUID();
		broker.createTopic(this.halfTopic, 2);
		broker.createTopic(this.topic, 2);
		this.producerPort = Ports.free();
	}

	@AfterEach
	void stop() {
		this.children.forEach(ChildJvm::close);
		this.services.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void aProducerKilledBeforeItsLocalCommitIsRolledBackByTheCheckBackOnceItIsBack() {
		MessageResolver resolver = startResolver().getBean(MessageResolver.class);
		awaitCrash(startChild(MessageCrashMain.PRODUCER_BEFORE_COMMIT, producerProperties()),
				MessageCrashMain.PRODUCER_BEFORE_COMMIT);
		await("check-backs retried while the producer is down").atMost(TIMEOUT).until(() -> resolver.checks() >= 2);
		assertThat(barriers()).as("its local transaction died with it").isEmpty();
		assertThat(balance()).isEqualTo(100);

		startChild("restart", producerProperties()).awaitOutput(MessageCrashMain.STARTED, TIMEOUT);
		await().atMost(TIMEOUT).until(() -> barriers().size() == 1 && resolver.pending() == 0);
		assertThat(barriers()).singleElement().satisfies((barrier) -> assertThat(barrier).endsWith(" ROLLED_BACK"));
		assertThat(resolver.dropped()).isOne();
		assertThat(broker.consumeToEnd(this.topic, TIMEOUT)).as("never delivered").isEmpty();
		assertThat(balance()).isEqualTo(100);
	}

	@Test
	void aProducerKilledAfterItsLocalCommitBeforeItsDecisionIsDeliveredOnce() {
		MessageResolver resolver = startResolver().getBean(MessageResolver.class);
		awaitCrash(startChild(MessageCrashMain.PRODUCER_AFTER_COMMIT, producerProperties()),
				MessageCrashMain.PRODUCER_AFTER_COMMIT);
		assertThat(barriers()).singleElement().satisfies((barrier) -> assertThat(barrier).endsWith(" COMMITTED"));
		assertThat(balance()).isEqualTo(70);

		startChild("restart", producerProperties()).awaitOutput(MessageCrashMain.STARTED, TIMEOUT);
		await().atMost(TIMEOUT).until(() -> resolver.delivered() == 1 && resolver.pending() == 0);
		List<ConsumerRecord<String, String>> delivered = broker.consumeToEnd(this.topic, TIMEOUT);
		assertThat(delivered).singleElement().satisfies((record) -> {
			assertThat(record.key()).isEqualTo("order-1");
			assertThat(KafkaBroker.header(record, DtxHeaders.MESSAGE_ID)).isEqualTo(barriers().get(0).split(" ")[0]);
		});
	}

	String[] producerProperties() {
		return new String[] { "spring.datasource.url=" + this.database[0],
				"spring.datasource.username=" + this.database[1], "spring.datasource.password=" + this.database[2],
				"server.port=" + this.producerPort, "dtx.http.self-url=http://localhost:" + this.producerPort,
				"spring.kafka.bootstrap-servers=" + broker.bootstrapServers(), "dtx.http.secret=shared-secret",
				"dtx.messages.half-topic=" + this.halfTopic, "crash.topic=" + this.topic, "dtx.recovery.enabled=false",
				"dtx.outbox.relay-enabled=false", "spring.main.banner-mode=off", "spring.flyway.enabled=false" };
	}

	List<String> resolverProperties() {
		return List.of("spring.datasource.url=jdbc:h2:mem:resolver-" + UUID.randomUUID(), "spring.main.web-application-type=none",
				"spring.kafka.bootstrap-servers=" + broker.bootstrapServers(), "dtx.http.secret=shared-secret",
				"dtx.messages.half-topic=" + this.halfTopic, "crash.topic=" + this.topic,
				"dtx.messages.resolver.enabled=true", "dtx.messages.resolver.check-after=1s",
				"dtx.messages.resolver.initial-backoff=200ms", "dtx.messages.resolver.max-backoff=1s",
				"dtx.messages.resolver.poll-timeout=100ms", "dtx.messages.producer.transaction.timeout.ms=2000",
				// a killed resolver's partitions go to the next one once its session expired
				"dtx.messages.resolver.consumer.session.timeout.ms=6000",
				"dtx.messages.resolver.consumer.heartbeat.interval.ms=1000",
				"dtx.recovery.enabled=false", "dtx.outbox.relay-enabled=false", "spring.main.banner-mode=off",
				"spring.flyway.enabled=false");
	}

	ConfigurableApplicationContext startResolver() {
		return start(resolverProperties().toArray(String[]::new));
	}

	// in this JVM, without a web server: a resolver, or a producer that needs no check-back
	ConfigurableApplicationContext start(String... properties) {
		ConfigurableApplicationContext service = new SpringApplicationBuilder(MessageCrashMain.CrashApplication.class)
			.web(WebApplicationType.NONE)
			.properties(properties)
			.run();
		this.services.add(service);
		return service;
	}

	ChildJvm startChild(String point, String[] properties) {
		List<String> arguments = new ArrayList<>(Arrays.stream(properties).map((property) -> "--" + property).toList());
		List<String> options = new ArrayList<>(List.of("-Dcrash.topic=" + this.topic));
		if (!point.equals("restart")) {
			options.add("-Ddtx.crash.point=" + point);
		}
		ChildJvm child = ChildJvm.start(this.testName + "-" + point, options, MessageCrashMain.class, arguments);
		this.children.add(child);
		return child;
	}

	static void awaitCrash(ChildJvm child, String point) {
		child.awaitOutput(CrashPoints.reached(point), TIMEOUT);
		// halted: this returns once it is dead
		child.kill();
	}

	private List<String> barriers() {
		return this.jdbc.queryForList("select concat(message_id, ' ', state) from dtx_message_barrier", String.class);
	}

	private int balance() {
		return this.jdbc.queryForObject("select balance from account where id = 'alice'", Integer.class);
	}

}
