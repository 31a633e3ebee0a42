package io.dtx.samples.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.dtx.message.MessageResolver;
import io.dtx.message.TransactionalMessages;
import io.dtx.outbox.Outbox;
import io.dtx.outbox.OutboxRelay;
import io.dtx.outbox.OutboxStore;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox benchmark, with transactional messages beside the outbox, on PostgreSQL and
 * the in-process broker, in one run:
 * <ol>
 * <li>relay throughput: a backlog of messages written while the relay is stopped, then
 * drained by one relay, in messages per second;</li>
 * <li>latency from the commit of a business transaction to the broker's acknowledgement
 * of its message (the broker's append time, {@code LogAppendTime}), p50 and p99, at a
 * fixed offered rate;</li>
 * <li>business transactions (one UPDATE) per second with one outbox message each,
 * divided by the same transactions without, at the same number of callers; and, to show
 * where the difference goes, the same with the relay stopped (what the insert costs the
 * caller) and with a {@code select 1} instead of the message (what one more round trip
 * costs);</li>
 * <li>the same business transactions with one transactional message each instead
 * ({@code TransactionalMessages}: a half message acknowledged by the broker before the
 * local transaction, a barrier row in it, a decision after it), divided by those without;
 * the latency from their local commit to a {@code read_committed} consumer's receipt of the
 * delivered message, p50 and p99, at the same offered rate; and the resolver's throughput,
 * one instance draining a backlog of decided half messages, in messages per second.</li>
 * </ol>
 * Settings, as {@code --name=value} arguments or {@code -Dbench.name=value}:
 * {@code url} (jdbc:postgresql://127.0.0.1:5432/dtx_bench), {@code username} (postgres),
 * {@code password}, {@code callers} (16), {@code backlog} (100000), {@code rate} (2000),
 * {@code duration} (10s), {@code batch-size} (1000), {@code linger} (5ms).
 */
public final class OutboxBenchmark {

	private static final String TOPIC = "outbox-bench";

	private static final String MESSAGES_TOPIC = "messages-bench";

	private static final int ACCOUNTS = 10_000;

	private final Map<String, String> settings;

	private final ConfigurableApplicationContext context;

	private final EmbeddedKafkaKraftBroker broker;

	private final Outbox outbox;

	private final TransactionalMessages messages;

	private final MessageResolver resolver;

	private final TransactionTemplate transaction;

	private final JdbcTemplate jdbc;

	private OutboxBenchmark(Map<String, String> settings, EmbeddedKafkaKraftBroker broker,
			ConfigurableApplicationContext context) {
		this.settings = settings;
		this.broker = broker;
		this.context = context;
		this.outbox = context.getBean(Outbox.class);
		this.messages = context.getBean(TransactionalMessages.class);
		this.resolver = context.getBean(MessageResolver.class);
		this.transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
		this.jdbc = new JdbcTemplate(context.getBean(DataSource.class));
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> settings = settings(args);
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 8);
		// one broker: the resolver's Kafka transactions keep their log on it alone
		broker.brokerProperty("transaction.state.log.replication.factor", "1");
		broker.brokerProperty("transaction.state.log.min.isr", "1");
		broker.afterPropertiesSet();
		// the broker's clock stamps each record as it appends it: the acknowledgement time
		broker.addTopics(new NewTopic(TOPIC, 8, (short) 1)
			.configs(Map.of("message.timestamp.type", "LogAppendTime")));
		broker.addTopics(new NewTopic(MESSAGES_TOPIC, 8, (short) 1), new NewTopic("dtx.messages.half", 8, (short) 1));
		Map<String, Object> properties = new LinkedHashMap<>();
		// a config name of its own, so that the demo's application.yml stays out
		properties.put("spring.config.name", "outbox-benchmark");
		properties.put("spring.datasource.url", settings.get("url"));
		properties.put("spring.datasource.username", settings.get("username"));
		properties.put("spring.datasource.password", settings.get("password"));
		properties.put("spring.datasource.hikari.maximum-pool-size", Integer.parseInt(settings.get("callers")) + 4);
		properties.put("spring.kafka.bootstrap-servers", broker.getBrokersAsString());
		properties.put("spring.flyway.enabled", false);
		properties.put("dtx.schema.table-prefix", "dtx_outbox_bench_");
		properties.put("dtx.recovery.enabled", false);
		properties.put("dtx.outbox.batch-size", settings.get("batch-size"));
		properties.put("dtx.outbox.linger", settings.get("linger"));
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.org.apache.kafka", "ERROR");
		properties.put("logging.level.kafka", "ERROR");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchmarkApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties)
			.run();
		try {
			new OutboxBenchmark(settings, broker, context).run();
		}
		finally {
			context.close();
			broker.destroy();
		}
		System.exit(0);
	}

	private void run() throws Exception {
		int callers = Integer.parseInt(this.settings.get("callers"));
		System.out.printf("Outbox benchmark: %s, in-process broker (1 node, topic of 8 partitions), %d callers, "
				+ "batch-size %s, linger %s, %d CPUs, load average before %.2f%n", this.settings.get("url"), callers,
				this.settings.get("batch-size"), this.settings.get("linger"), Runtime.getRuntime().availableProcessors(),
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		prepare();
		// warm-up: the JIT, the pool and the producer
		offer(500, Duration.ofSeconds(3), callers);
		awaitDrained(Duration.ofMinutes(2));

		vacuum();
		double throughput = relayThroughput(Integer.parseInt(this.settings.get("backlog")), callers);
		vacuum();
		long[] latency = latency(Integer.parseInt(this.settings.get("rate")), duration(), callers);
		vacuum();
		double without = businessTransactions(Extra.NONE, callers, duration());
		vacuum();
		double with = businessTransactions(Extra.MESSAGE, callers, duration());
		awaitDrained(Duration.ofMinutes(5));
		vacuum();
		OutboxRelay relay = this.context.getBean(OutboxRelay.class);
		relay.stop();
		double withRelayStopped = businessTransactions(Extra.MESSAGE, callers, duration());
		relay.start();
		awaitDrained(Duration.ofMinutes(5));
		vacuum();
		double withSelect = businessTransactions(Extra.SELECT, callers, duration());
		vacuum();
		double withTransactionalMessage = businessTransactions(Extra.TRANSACTIONAL_MESSAGE, callers, duration());
		awaitResolved(Duration.ofMinutes(5));
		vacuum();
		long[] messagesLatency = messagesLatency(Integer.parseInt(this.settings.get("rate")), duration(), callers);
		vacuum();
		double resolverThroughput = resolverThroughput(Integer.parseInt(this.settings.get("backlog")) / 5, callers);

		System.out.println();
		System.out.printf("%-62s %12s %10s%n", "measure", "value", "goal");
		System.out.printf("%-62s %12.0f %10s%n", "relay throughput, one instance (messages/s)", throughput, ">= 20000");
		System.out.printf("%-62s %12d %10s%n",
				"commit-to-ack latency p50 at " + this.settings.get("rate") + " msgs/s offered (ms)", latency[0], "");
		System.out.printf("%-62s %12d %10s%n",
				"commit-to-ack latency p99 at " + this.settings.get("rate") + " msgs/s offered (ms)", latency[1],
				"<= 50");
		System.out.printf("%-62s %12.0f %10s%n", "business tx/s without outbox (" + callers + " callers)", without, "");
		System.out.printf("%-62s %12.0f %10s%n", "business tx/s with one outbox message", with, "");
		System.out.printf("%-62s %12.2f %10s%n", "ratio with / without", with / without, ">= 0.85");
		System.out.printf("%-62s %12.2f %10s%n", "ratio with, relay stopped / without", withRelayStopped / without, "");
		System.out.printf("%-62s %12.2f %10s%n", "ratio with a 'select 1' instead / without", withSelect / without, "");
		System.out.printf("%-62s %12.0f %10s%n", "business tx/s with one transactional message",
				withTransactionalMessage, "");
		System.out.printf("%-62s %12.2f %10s%n", "ratio with a transactional message / without",
				withTransactionalMessage / without, "> outbox's");
		System.out.printf("%-62s %12d %10s%n",
				"transactional message, commit-to-delivery p50 at " + this.settings.get("rate") + "/s (ms)",
				messagesLatency[0], "");
		System.out.printf("%-62s %12d %10s%n",
				"transactional message, commit-to-delivery p99 at " + this.settings.get("rate") + "/s (ms)",
				messagesLatency[1], "<= 100");
		System.out.printf("%-62s %12.0f %10s%n", "resolver throughput, one instance (messages/s)", resolverThroughput,
				"");
		System.out.printf("load average after: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		// what the last phase wrote is still relayed: the table is printed first, whatever this finds
		awaitDrained(Duration.ofMinutes(5));
	}

	// what autovacuum does between the phases, done by hand: it may be off (it is on the machine
	// these figures come from), and the drained backlog leaves 100,000 dead index entries in
	// front of the next phase's rows
	private void vacuum() {
		this.jdbc.execute("vacuum analyze dtx_outbox_bench_outbox, dtx_outbox_bench_inbox, "
				+ "dtx_outbox_bench_message_barrier, outbox_bench_account");
	}

	private void prepare() {
		this.jdbc.execute("drop table if exists outbox_bench_account");
		this.jdbc.execute("create table outbox_bench_account (id int primary key, balance bigint not null)");
		this.jdbc.update("insert into outbox_bench_account select i, 0 from generate_series(1, " + ACCOUNTS + ") i");
		this.jdbc.update("delete from dtx_outbox_bench_outbox");
		this.jdbc.update("delete from dtx_outbox_bench_inbox");
		this.jdbc.update("delete from dtx_outbox_bench_message_barrier");
	}

	/**
	 * Writes a backlog with the relay stopped, then times one relay draining it.
	 */
	private double relayThroughput(int backlog, int callers) throws Exception {
		OutboxRelay relay = this.context.getBean(OutboxRelay.class);
		relay.stop();
		System.out.println("writing a backlog of " + backlog + " messages, relay stopped ...");
		ExecutorService writers = Executors.newFixedThreadPool(callers);
		List<Future<?>> done = new ArrayList<>();
		int perTransaction = 100;
		for (int i = 0; i < backlog / perTransaction; i++) {
			done.add(writers.submit(() -> this.transaction.executeWithoutResult((status) -> {
				for (int j = 0; j < perTransaction; j++) {
					this.outbox.publish(TOPIC, key(), "backlog");
				}
			})));
		}
		for (Future<?> future : done) {
			future.get();
		}
		writers.shutdown();
		System.out.println("draining it with one relay ...");
		long start = System.nanoTime();
		relay.start();
		relay.wakeUp();
		awaitDrained(Duration.ofMinutes(5));
		return backlog / ((System.nanoTime() - start) / 1e9);
	}

	/**
	 * Offers business transactions of one message each at {@code rate} per second, and
	 * returns p50 and p99 of commit to broker append, in milliseconds.
	 */
	private long[] latency(int rate, Duration duration, int callers) throws Exception {
		System.out.println("offering " + rate + " messages/s for " + duration.toSeconds() + "s ...");
		Map<String, Long> committedAt = offer(rate, duration, callers);
		return percentiles(committedAt, consume(committedAt.keySet()), "reached the broker");
	}

	// p50 and p99 of commit to arrival, in milliseconds; every value committed must have arrived
	private static long[] percentiles(Map<String, Long> committedAt, Map<String, Long> arrivedAt, String arrived) {
		List<Long> latencies = new ArrayList<>();
		committedAt.forEach((value, committed) -> {
			Long at = arrivedAt.get(value);
			if (at != null) {
				latencies.add(Math.max(0, at - committed));
			}
		});
		if (latencies.size() != committedAt.size()) {
			throw new IllegalStateException(
					"only " + latencies.size() + " of " + committedAt.size() + " messages " + arrived);
		}
		latencies.sort(null);
		return new long[] { percentile(latencies, 0.50), percentile(latencies, 0.99) };
	}

	private Map<String, Long> offer(int rate, Duration duration, int callers) throws Exception {
		return offer(rate, duration, callers, (value) -> this.transaction.executeWithoutResult((status) -> {
			this.jdbc.update("update outbox_bench_account set balance = balance + 1 where id = ?", account());
			this.outbox.publish(TOPIC, key(), value);
		}));
	}

	/**
	 * Runs {@code transaction} with a new value at {@code rate} per second for
	 * {@code duration}, on {@code callers} threads, and returns when each committed, by value.
	 */
	private static Map<String, Long> offer(int rate, Duration duration, int callers, Consumer<String> transaction)
			throws Exception {
		Map<String, Long> committedAt = new ConcurrentHashMap<>();
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		long intervalNanos = 1_000_000_000L / rate;
		long start = System.nanoTime();
		long count = duration.toNanos() / intervalNanos;
		List<Future<?>> done = new ArrayList<>();
		for (long i = 0; i < count; i++) {
			long due = start + i * intervalNanos;
			while (System.nanoTime() < due) {
				Thread.onSpinWait();
			}
			String value = "latency-" + start + "-" + i;
			done.add(pool.submit(() -> {
				transaction.accept(value);
				committedAt.put(value, System.currentTimeMillis());
			}));
		}
		for (Future<?> future : done) {
			future.get();
		}
		pool.shutdown();
		return committedAt;
	}

	/**
	 * Offers business transactions of one transactional message each at {@code rate} per
	 * second, and returns p50 and p99 of local commit to receipt by a consumer that reads
	 * committed records only, as an application's does, in milliseconds.
	 */
	private long[] messagesLatency(int rate, Duration duration, int callers) throws Exception {
		System.out.println("offering " + rate + " transactional messages/s for " + duration.toSeconds() + "s ...");
		Map<String, Long> receivedAt = new ConcurrentHashMap<>();
		Map<String, Long> committedAt = new ConcurrentHashMap<>();
		try (Receiver receiver = new Receiver(this.broker.getBrokersAsString(), MESSAGES_TOPIC, receivedAt)) {
			// the delivered payload is the value as JSON: a string in quotes
			offer(rate, duration, callers, (value) -> this.messages.send(MESSAGES_TOPIC, key(), value, () -> this.jdbc
				.update("update outbox_bench_account set balance = balance + 1 where id = ?", account())))
				.forEach((value, committed) -> committedAt.put("\"" + value + "\"", committed));
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
			while (!receivedAt.keySet().containsAll(committedAt.keySet()) && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
		}
		return percentiles(committedAt, receivedAt, "were delivered");
	}

	/**
	 * Sends {@code backlog} transactional messages, each with its decision, with the
	 * resolver stopped, then times the resolver delivering them.
	 */
	private double resolverThroughput(int backlog, int callers) throws Exception {
		this.resolver.stop();
		System.out.println("sending " + backlog + " transactional messages, resolver stopped ...");
		ExecutorService senders = Executors.newFixedThreadPool(callers);
		List<Future<?>> done = new ArrayList<>();
		for (int i = 0; i < backlog; i++) {
			done.add(senders.submit(() -> this.messages.send(MESSAGES_TOPIC, key(), "backlog", () -> {
			})));
		}
		for (Future<?> future : done) {
			future.get();
		}
		senders.shutdown();
		System.out.println("resolving them with one resolver ...");
		long delivered = this.resolver.delivered();
		long start = System.nanoTime();
		this.resolver.start();
		long deadline = start + TimeUnit.MINUTES.toNanos(5);
		while (this.resolver.delivered() < delivered + backlog || this.resolver.pending() > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the resolver did not deliver the backlog within 5 minutes");
			}
			Thread.sleep(5);
		}
		return backlog / ((System.nanoTime() - start) / 1e9);
	}

	private void awaitResolved(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.resolver.pending() > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the resolver did not resolve every message within " + timeout);
			}
			Thread.sleep(5);
		}
	}

	private Map<String, Long> consume(java.util.Set<String> expected) {
		Map<String, Object> properties = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.broker.getBrokersAsString(), ConsumerConfig.GROUP_ID_CONFIG, "bench-" + System.nanoTime(),
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
		Map<String, Long> appendedAt = new HashMap<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(TOPIC)
				.stream()
				.map((info) -> new TopicPartition(TOPIC, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
			while (appendedAt.size() < expected.size() && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					if (expected.contains(record.value())) {
						appendedAt.put(record.value(), record.timestamp());
					}
				}
			}
		}
		return appendedAt;
	}

	// business transactions per second from the callers, each an UPDATE and the extra
	private double businessTransactions(Extra extra, int callers, Duration duration) throws Exception {
		Runnable update = () -> this.jdbc.update("update outbox_bench_account set balance = balance + 1 where id = ?",
				account());
		Runnable transaction = switch (extra) {
			// the local transaction is the message's own: TransactionalMessages begins it
			case TRANSACTIONAL_MESSAGE -> () -> this.messages.send(MESSAGES_TOPIC, key(), "business", update);
			case MESSAGE -> () -> this.transaction.executeWithoutResult((status) -> {
				update.run();
				this.outbox.publish(TOPIC, key(), "business");
			});
			case SELECT -> () -> this.transaction.executeWithoutResult((status) -> {
				update.run();
				this.jdbc.queryForObject("select 1", Integer.class);
			});
			case NONE -> () -> this.transaction.executeWithoutResult((status) -> update.run());
		};
		return BusinessTransactions.perSecond(extra.description, callers, duration, transaction);
	}

	private void awaitDrained(Duration timeout) throws InterruptedException {
		OutboxStore store = this.context.getBean(OutboxStore.class);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (store.backlog().pending() > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the outbox did not drain within " + timeout);
			}
			Thread.sleep(5);
		}
	}

	private Duration duration() {
		return DurationStyle.detectAndParse(this.settings.get("duration"));
	}

	private static String key() {
		return "order-" + ThreadLocalRandom.current().nextInt(1000);
	}

	private static int account() {
		return ThreadLocalRandom.current().nextInt(ACCOUNTS) + 1;
	}

	private static long percentile(List<Long> sorted, double percentile) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile * sorted.size()) - 1));
	}

	private static Map<String, String> settings(String[] args) {
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("url", "jdbc:postgresql://127.0.0.1:5432/dtx_bench");
		defaults.put("username", "postgres");
		defaults.put("password", "");
		defaults.put("callers", "16");
		defaults.put("backlog", "100000");
		defaults.put("rate", "2000");
		defaults.put("duration", "10s");
		defaults.put("batch-size", "1000");
		defaults.put("linger", "5ms");
		return BusinessTransactions.settings(defaults, args);
	}

	// what a business transaction does besides its UPDATE
	private enum Extra {

		NONE("nothing else"), MESSAGE("an outbox message"), SELECT("a 'select 1' (one more round trip)"),
		TRANSACTIONAL_MESSAGE("a transactional message");

		private final String description;

		Extra(String description) {
			this.description = description;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BenchmarkApplication {

	}

}
