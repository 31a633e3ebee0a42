package io.dtx.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import io.dtx.core.DtxHeaders;
import io.dtx.tcc.crash.CrashPoints;
import io.dtx.test.Callers;
import io.dtx.test.ChildJvm;
import io.dtx.test.DatabaseServer;
import io.dtx.test.HotRows;
import io.dtx.test.KafkaBroker;
import io.dtx.test.LocalCall;
import io.dtx.test.LocalCall.Heard;
import io.dtx.test.Ports;
import io.dtx.test.ServerOutage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
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
 * {@link PostgresMessageFaultTests} only. The producer's database server is also stopped
 * and started again while callers send, in the build's run of such tests ({@link ServerOutage}).
 */
abstract class MessageFaultContractTests {

	static final Duration TIMEOUT = Duration.ofSeconds(90);

	static final Duration OUTAGE = Duration.ofSeconds(3);

	static final int OPENING_BALANCE = 100_000;

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
		this.jdbc.update("insert into account (id, balance) values ('alice', ?)", OPENING_BALANCE);
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
		assertThat(balance()).isEqualTo(OPENING_BALANCE);

		startChild("restart", producerProperties()).awaitOutput(MessageCrashMain.STARTED, TIMEOUT);
		await().atMost(TIMEOUT).until(() -> barriers().size() == 1 && resolver.pending() == 0);
		assertThat(barriers()).singleElement().satisfies((barrier) -> assertThat(barrier).endsWith(" ROLLED_BACK"));
		assertThat(resolver.dropped()).isOne();
		assertThat(broker.consumeToEnd(this.topic, TIMEOUT)).as("never delivered").isEmpty();
		assertThat(balance()).isEqualTo(OPENING_BALANCE);
	}

	@Test
	void aProducerKilledAfterItsLocalCommitBeforeItsDecisionIsDeliveredOnce() {
		MessageResolver resolver = startResolver().getBean(MessageResolver.class);
		awaitCrash(startChild(MessageCrashMain.PRODUCER_AFTER_COMMIT, producerProperties()),
				MessageCrashMain.PRODUCER_AFTER_COMMIT);
		assertThat(barriers()).singleElement().satisfies((barrier) -> assertThat(barrier).endsWith(" COMMITTED"));
		assertThat(balance()).isEqualTo(OPENING_BALANCE - 30);

		startChild("restart", producerProperties()).awaitOutput(MessageCrashMain.STARTED, TIMEOUT);
		// read committed: a delivery is seen once the broker wrote its transaction's markers,
		// which may come after the resolver's commit returned
		await().atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> resolver.pending() == 0 && !broker.consumeToEnd(this.topic, TIMEOUT).isEmpty());
		List<ConsumerRecord<String, String>> delivered = broker.consumeToEnd(this.topic, TIMEOUT);
		assertThat(delivered).singleElement().satisfies((record) -> {
			assertThat(record.key()).isEqualTo("order-1");
			assertThat(KafkaBroker.header(record, DtxHeaders.MESSAGE_ID)).isEqualTo(barriers().get(0).split(" ")[0]);
		});
	}

	// the producer's database server stopped

	@Test
	@Tag(ServerOutage.TAG)
	void producersDatabaseStoppedWhileCallersSendDeliversWhatCommittedOnceAndNothingElse() throws Exception {
		MessageResolver resolver = startResolver().getBean(MessageResolver.class);
		Sender sender = new Sender(startProducer(), this.topic);
		List<LocalCall> calls;
		try (Callers<LocalCall> callers = Callers.start(8, Integer.MAX_VALUE, LocalCall::new, sender::send)) {
			await().atMost(TIMEOUT).until(() -> callers.completed() >= 40);
			try (ServerOutage outage = ServerOutage.begin(server())) {
				outage.holdFor(OUTAGE);
			}
			int resumedAt = callers.completed();
			await().atMost(TIMEOUT).until(() -> callers.completed() >= resumedAt + 40);
			calls = callers.finish(TIMEOUT);
		}
		List<String> problems = new ArrayList<>();
		if (calls.stream().noneMatch((call) -> call.heard() == Heard.ERROR_BEFORE_COMMIT)) {
			problems.add("no caller heard the outage, so this test did not test it");
		}
		int committed = this.jdbc.queryForObject("select count(*) from sent", Integer.class);
		try {
			// decisions lost with their connections are learnt by checking back
			// read committed: a delivery is seen once the broker wrote its transaction's markers,
			// which may come after the resolver's commit returned
			await().atMost(TIMEOUT)
				.pollInterval(Duration.ofMillis(500))
				.until(() -> resolver.delivered() >= committed && resolver.pending() == 0
						&& broker.consumeToEnd(this.topic, TIMEOUT).size() >= committed);
		}
		catch (ConditionTimeoutException ex) {
			problems.add(resolver.delivered() + " of " + committed + " committed messages delivered and "
					+ resolver.pending() + " half messages undecided after " + TIMEOUT);
		}
		judge(calls, problems);
	}

	/**
	 * Each call's message delivered once if its local transaction committed, as the hot row,
	 * the call's row and its barrier say, and never otherwise; and what its caller heard
	 * consistent with that.
	 */
	private void judge(List<LocalCall> calls, List<String> problems) {
		Set<Integer> committed = new HashSet<>(this.jdbc.queryForList("select call_number from sent", Integer.class));
		Map<Integer, Integer> deliveries = new HashMap<>();
		broker.consumeToEnd(this.topic, TIMEOUT)
			.forEach((record) -> deliveries.merge(Integer.valueOf(KafkaBroker.header(record, "call")), 1, Integer::sum));
		Map<String, Integer> outcomes = new TreeMap<>();
		for (LocalCall call : calls) {
			boolean present = committed.contains(call.number);
			int delivered = deliveries.getOrDefault(call.number, 0);
			String wrong = switch (call.heard()) {
				case RETURNED -> present ? null : "its caller heard sent, its local transaction did not commit";
				case REFUSED, ERROR_BEFORE_COMMIT -> present
						? "its caller heard " + call.heardDescription() + ", its local transaction committed" : null;
				case ERROR_AT_COMMIT -> null;
			};
			if (wrong == null && delivered != (present ? 1 : 0)) {
				wrong = (present ? "committed" : "not committed") + ", delivered " + delivered + " times";
			}
			if (wrong != null) {
				problems.add("call " + call.number + ": " + wrong);
			}
			String outcome = "caller heard " + call.heard() + " | " + (present ? "committed" : "not committed")
					+ " | delivered " + delivered;
			outcomes.merge((wrong != null) ? outcome + "   <-- WRONG" : outcome, 1, Integer::sum);
		}
		int balance = balance();
		if (balance != OPENING_BALANCE - committed.size()) {
			problems.add("the hot row holds " + balance + ", the committed calls make it "
					+ (OPENING_BALANCE - committed.size()));
		}
		long committedBarriers = barriers().stream().filter((barrier) -> barrier.endsWith(" COMMITTED")).count();
		if (committedBarriers != committed.size()) {
			problems.add(committedBarriers + " barriers say committed, " + committed.size() + " calls committed");
		}
		StringBuilder report = new StringBuilder("the producer's database stopped on ").append(server())
			.append(": ")
			.append(calls.size())
			.append(" calls, ")
			.append(problems.size())
			.append(" problem(s)\n");
		outcomes.forEach((outcome, count) -> report.append(String.format("%6d  %s%n", count, outcome)));
		problems.stream().limit(20).forEach((problem) -> report.append("  - ").append(problem).append('\n'));
		System.out.println(report);
		assertThat(problems).as(report.toString()).isEmpty();
	}

	// in this JVM with its web server: the check-back must find it
	private ConfigurableApplicationContext startProducer() {
		List<String> properties = new ArrayList<>(Arrays.asList(producerProperties()));
		// a caller that asks for a connection while the server is down hears so in 2 s, and
		// the pool keeps trying meanwhile, so it serves again as soon as the server answers
		properties.addAll(List.of("spring.datasource.hikari.maximum-pool-size=12",
				"spring.datasource.hikari.connection-timeout=2000", "spring.datasource.hikari.validation-timeout=1000"));
		ConfigurableApplicationContext producer = new SpringApplicationBuilder(MessageCrashMain.CrashApplication.class)
			.properties(properties.toArray(String[]::new))
			.run();
		this.services.add(producer);
		this.jdbc.execute("create table sent (call_number integer primary key)");
		return producer;
	}

	/**
	 * The producer's callers' work: one message per call, in a local transaction that takes
	 * one from the hot row and records the call; one call in five refused after that.
	 */
	private static final class Sender {

		private final TransactionalMessages messages;

		private final JdbcTemplate jdbc;

		private final String topic;

		Sender(ConfigurableApplicationContext producer, String topic) {
			this.messages = producer.getBean(TransactionalMessages.class);
			this.jdbc = new JdbcTemplate(producer.getBean(DataSource.class));
			this.topic = topic;
		}

		void send(LocalCall call) {
			this.messages.send(this.topic, "alice", Map.of("call", call.number), Map.of("call", "" + call.number), () -> {
				this.jdbc.update("update account set balance = balance - 1 where id = 'alice'");
				this.jdbc.update("insert into sent (call_number) values (?)", call.number);
				call.statementsRan();
			});
		}

	}

	String[] producerProperties() {
		return new String[] { "spring.datasource.url=" + this.database[0],
				"spring.datasource.username=" + this.database[1], "spring.datasource.password=" + this.database[2],
				"server.port=" + this.producerPort, "dtx.http.self-url=http://localhost:" + this.producerPort,
				"spring.kafka.bootstrap-servers=" + broker.bootstrapServers(), "dtx.http.secret=shared-secret",
				"dtx.messages.half-topic=" + this.halfTopic, "crash.topic=" + this.topic, "dtx.recovery.enabled=false",
				// a producer only: the resolvers are the test's own
				"dtx.messages.resolver.enabled=false", "dtx.outbox.relay-enabled=false", "spring.main.banner-mode=off",
				"spring.flyway.enabled=false" };
	}

	List<String> resolverProperties() {
		return List.of("spring.datasource.url=jdbc:h2:mem:resolver-" + UUID.randomUUID(), "spring.main.web-application-type=none",
				"spring.kafka.bootstrap-servers=" + broker.bootstrapServers(), "dtx.http.secret=shared-secret",
				"dtx.messages.half-topic=" + this.halfTopic, "crash.topic=" + this.topic,
				"dtx.messages.resolver.enabled=true", "dtx.messages.resolver.check-after=1s",
				"dtx.messages.resolver.initial-backoff=200ms", "dtx.messages.resolver.max-backoff=1s",
				"dtx.messages.resolver.poll-timeout=100ms", "dtx.messages.producer.transaction.timeout.ms=2000",
				// a killed resolver's partitions go to the next one once its session expired
				"dtx.messages.resolver.consumer.session.timeout.ms=3000",
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
