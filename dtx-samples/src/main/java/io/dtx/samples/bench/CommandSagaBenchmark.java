package io.dtx.samples.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import javax.sql.DataSource;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.dtx.outbox.OutboxStore;
import io.dtx.samples.bench.CommandSagaBenchShop.Completions;
import io.dtx.samples.bench.CommandSagaBenchShop.Order;
import io.dtx.saga.orchestration.SagaOrchestrator;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.LoggerFactory;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The benchmark of sagas by commands: 16 starters, each starting a saga of three remote
 * steps and waiting for it to complete before it starts the next; one orchestrator
 * instance and the three participants (one UPDATE of a random row each) as two Spring Boot
 * applications in this process, on PostgreSQL, over the in-process broker. It reports
 * completed sagas per second and start-to-end latency p50 and p99, against the same three
 * steps as plain Kafka request/reply without dtx ({@link PlainRequestReply}) in the same
 * run, with the CPU each costs and the machine's load, after an unreported round of both.
 * Afterwards it checks that every saga completed and every step was applied once. Settings as for {@link TccBenchmark}
 * ({@code --callers=16 --warmup=5s --duration=15s --rows=10000 --rounds=1 --url=…}).
 */
public final class CommandSagaBenchmark {

	private static final int PARTITIONS = 8;

	private final TccBenchmark.Settings settings;

	private final JdbcTemplate jdbc;

	private final SagaOrchestrator orchestrator;

	private final Completions completions;

	private final PlainRequestReply plain;

	private final TccBenchMeter meter;

	private final List<OutboxStore> outboxes;

	private final LongAdder debited = new LongAdder();

	private final LongAdder taken = new LongAdder();

	private final AtomicLong sagasStarted = new AtomicLong();

	private final AtomicLong ids = new AtomicLong();

	private boolean checksPassed = true;

	private CommandSagaBenchmark(TccBenchmark.Settings settings, ConfigurableApplicationContext orders,
			ConfigurableApplicationContext participants, PlainRequestReply plain) {
		this.settings = settings;
		this.jdbc = new JdbcTemplate(participants.getBean(DataSource.class));
		this.orchestrator = orders.getBean(SagaOrchestrator.class);
		this.completions = orders.getBean(Completions.class);
		this.plain = plain;
		this.meter = new TccBenchMeter(participants.getBean(DataSource.class));
		this.outboxes = List.of(orders.getBean(OutboxStore.class), participants.getBean(OutboxStore.class));
	}

	public static void main(String[] args) throws Exception {
		// the broker starts before Spring Boot configures logging: quiet until then
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
		TccBenchmark.Settings settings = TccBenchmark.Settings.of(args);
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
		broker.afterPropertiesSet();
		List<NewTopic> topics = new ArrayList<>();
		for (String topic : List.of(CommandSagaBenchShop.PAYMENT, CommandSagaBenchShop.STOCK,
				CommandSagaBenchShop.LOYALTY, CommandSagaBenchShop.REPLIES, PlainRequestReply.PAYMENT,
				PlainRequestReply.STOCK, PlainRequestReply.LOYALTY, PlainRequestReply.REPLIES)) {
			topics.add(new NewTopic(topic, PARTITIONS, (short) 1));
		}
		broker.addTopics(topics.toArray(NewTopic[]::new));
		try (Connection lock = TccBenchmark.exclusiveRun(settings);
				ConfigurableApplicationContext participants = start(CommandSagaBenchShop.Participants.class,
						"cmdbench-participants", "cmdbench_parts_", settings, broker);
				ConfigurableApplicationContext orders = start(CommandSagaBenchShop.Orchestrator.class,
						"cmdbench-orders", "cmdbench_orders_", settings, broker);
				PlainRequestReply plain = new PlainRequestReply(broker.getBrokersAsString(),
						new JdbcTemplate(participants.getBean(DataSource.class)),
						new TransactionTemplate(participants.getBean(PlatformTransactionManager.class)),
						orders.getBean(Completions.class))) {
			new CommandSagaBenchmark(settings, orders, participants, plain).run();
		}
		finally {
			broker.destroy();
		}
		System.exit(0);
	}

	private static ConfigurableApplicationContext start(Class<?> application, String name, String tablePrefix,
			TccBenchmark.Settings settings, EmbeddedKafkaKraftBroker broker) {
		Map<String, Object> properties = new LinkedHashMap<>();
		// no such file: the XA demo's application.yml stays out of it
		properties.put("spring.config.name", "command-saga-benchmark");
		properties.put("spring.application.name", name);
		// by this name the meter finds the backends of both applications' pools
		properties.put("spring.datasource.url", settings.urlNamed(TccBenchMeter.APPLICATION_NAME));
		properties.put("spring.datasource.username", settings.username());
		properties.put("spring.datasource.password", settings.password());
		properties.put("spring.datasource.hikari.maximum-pool-size", settings.callers() + 4);
		properties.put("spring.datasource.hikari.minimum-idle", settings.callers() + 4);
		properties.put("spring.flyway.enabled", "false");
		properties.put("spring.kafka.bootstrap-servers", broker.getBrokersAsString());
		properties.put("dtx.schema.table-prefix", tablePrefix);
		// as a user's service runs it: the coordinator on, so the participants' handlers are fenced
		properties.put("dtx.messages.enabled", "false");
		properties.put("dtx.saga.orchestration.reply-channel", CommandSagaBenchShop.REPLIES);
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.org.apache.kafka", "ERROR");
		properties.put("logging.level.kafka", "ERROR");
		properties.put("logging.level.org.flywaydb", "ERROR");
		return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties)
			.run();
	}

	private void run() throws Exception {
		System.out.printf(Locale.ROOT, "Sagas by commands benchmark: %d starters, %ds warm-up, %ds measured, %d rows"
				+ " per table, %d round(s), %s, in-process broker (1 node, topics of %d partitions), %d CPUs,"
				+ " load average %.2f%n", this.settings.callers(), this.settings.warmup().toSeconds(),
				this.settings.duration().toSeconds(), this.settings.rows(), this.settings.rounds(), this.settings.url(),
				PARTITIONS, Runtime.getRuntime().availableProcessors(), loadAverage());
		createTables();
		Consumer<Order> dtx = (order) -> this.orchestrator.start(CommandSagaBenchShop.SAGA, order);
		// a round first, not reported: in a cold JVM the first variant measured would pay for
		// compiling the paths both share (the Kafka clients, the broker), more than its warm-up takes
		measure("warm-up round: plain Kafka request/reply", this.plain::start);
		measure("warm-up round: dtx saga by commands", dtx);
		List<Result> results = new ArrayList<>();
		for (int round = 1; round <= this.settings.rounds(); round++) {
			results.add(measure("plain Kafka request/reply, 3 steps", this.plain::start));
			results.add(measure("dtx saga by commands, 3 steps", dtx));
		}
		check();
		System.out.println();
		String header = String.format(Locale.ROOT, "%-36s %8s %7s %7s %10s %9s %7s %6s %8s %7s", "variant",
				"sagas/s", "p50 ms", "p99 ms", "JVM ms/sg", "PG ms/sg", "failed", "others", "load", "ratio");
		System.out.println(header);
		System.out.println("-".repeat(header.length()));
		for (int i = 0; i < results.size(); i++) {
			Result result = results.get(i);
			double base = results.get(i - (i % 2)).perSecond();
			System.out.printf(Locale.ROOT, "%-36s %8.0f %7.1f %7.1f %10.3f %9s %7d %5.0f%% %8.2f %7.2f%n",
					result.variant(), result.perSecond(), result.p50Millis(), result.p99Millis(), result.jvmCpuMillis(),
					Double.isNaN(result.postgresCpuMillis()) ? "n/a"
							: String.format(Locale.ROOT, "%.3f", result.postgresCpuMillis()),
					result.failed(), result.othersPercent(), result.loadAverage(), result.perSecond() / base);
		}
		System.out.println();
		System.out.println("sagas/s: sagas completed in the measured time; p50, p99: from the starter's call to the");
		System.out.println("commit of the saga's last transition (dtx) or the receipt of the last reply (plain);");
		System.out.println("JVM, PG ms/sg: CPU of this JVM and of both applications' PostgreSQL backends per saga;");
		System.out.println("others: the machine's CPU used by other processes; load: load average at the phase's end;");
		System.out.println("ratio: sagas/s over the plain variant's of the same round.");
		System.out.printf(Locale.ROOT, "load average at the end: %.2f%n", loadAverage());
		System.out.println(this.checksPassed ? "ALL CHECKS PASSED" : "CHECKS FAILED");
	}

	private void createTables() {
		this.jdbc.execute("drop table if exists cmd_bench_account, cmd_bench_stock, cmd_bench_loyalty");
		for (String table : List.of("cmd_bench_account (id int primary key, balance bigint not null)",
				"cmd_bench_stock (id int primary key, available bigint not null)",
				"cmd_bench_loyalty (id int primary key, points bigint not null)")) {
			this.jdbc.execute("create table " + table);
			this.jdbc.update("insert into " + table.substring(0, table.indexOf(' '))
					+ " select i, 0 from generate_series(1, ?) i", this.settings.rows());
		}
		// dtx created its tables at start-up; earlier runs' rows would only slow it down
		this.jdbc.execute("truncate cmdbench_orders_saga_instance, cmdbench_orders_saga_history,"
				+ " cmdbench_orders_outbox, cmdbench_orders_inbox, cmdbench_parts_outbox, cmdbench_parts_inbox,"
				+ " cmdbench_parts_branch_fence");
	}

	// what autovacuum does between phases, done by hand: this machine's PostgreSQL runs without it
	private void vacuum() {
		this.jdbc.execute("vacuum analyze cmd_bench_account, cmd_bench_stock, cmd_bench_loyalty,"
				+ " cmdbench_orders_saga_instance, cmdbench_orders_saga_history, cmdbench_orders_outbox,"
				+ " cmdbench_orders_inbox, cmdbench_parts_outbox, cmdbench_parts_inbox, cmdbench_parts_branch_fence");
		this.jdbc.execute("checkpoint");
	}

	private Result measure(String name, Consumer<Order> start) throws Exception {
		System.out.println("running " + name + " ...");
		vacuum();
		List<Integer> backends = this.meter.backends();
		// start and end (nanoTime) of every saga completed
		ConcurrentLinkedQueue<long[]> sagas = new ConcurrentLinkedQueue<>();
		LongAdder failed = new LongAdder();
		AtomicReference<Exception> firstFailure = new AtomicReference<>();
		AtomicBoolean stop = new AtomicBoolean();
		List<Thread> starters = new ArrayList<>();
		for (int i = 0; i < this.settings.callers(); i++) {
			Thread starter = new Thread(() -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				while (!stop.get()) {
					Order order = new Order("o-" + this.ids.incrementAndGet(), random.nextInt(this.settings.rows()) + 1,
							random.nextInt(1, 101), random.nextInt(this.settings.rows()) + 1, random.nextInt(1, 6));
					CompletableFuture<Long> done = this.completions.expect(order.id());
					long begin = System.nanoTime();
					try {
						start.accept(order);
						this.sagasStarted.incrementAndGet();
						long end = done.get(2, TimeUnit.MINUTES);
						sagas.add(new long[] { begin, end });
						this.debited.add(order.amount());
						this.taken.add(order.quantity());
					}
					catch (Exception ex) {
						failed.increment();
						firstFailure.compareAndSet(null, ex);
					}
				}
			}, "starter-" + i);
			starters.add(starter);
			starter.start();
		}
		Thread.sleep(this.settings.warmup().toMillis());
		TccBenchMeter.Cpu cpuBefore = this.meter.cpu(backends);
		long from = System.nanoTime();
		Thread.sleep(this.settings.duration().toMillis());
		long to = System.nanoTime();
		TccBenchMeter.Cpu cpuAfter = this.meter.cpu(backends);
		double load = loadAverage();
		stop.set(true);
		for (Thread starter : starters) {
			starter.join(TimeUnit.MINUTES.toMillis(3));
		}
		if (firstFailure.get() != null) {
			System.out.println("first failure of " + name + ": " + firstFailure.get());
			this.checksPassed = false;
		}
		List<Long> latencies = new ArrayList<>();
		for (long[] saga : sagas) {
			if (saga[1] >= from && saga[1] <= to) {
				latencies.add(saga[1] - saga[0]);
			}
		}
		latencies.sort(null);
		int measured = latencies.size();
		return new Result(name, measured * 1e9 / (to - from), percentile(latencies, 0.50) / 1e6,
				percentile(latencies, 0.99) / 1e6, (cpuAfter.jvmNanos() - cpuBefore.jvmNanos()) / 1e6 / measured,
				(cpuBefore.postgresNanos() < 0 || cpuAfter.postgresNanos() < 0) ? Double.NaN
						: (cpuAfter.postgresNanos() - cpuBefore.postgresNanos()) / 1e6 / measured,
				failed.sum(), cpuAfter.othersPercent(cpuBefore, to - from, Runtime.getRuntime().availableProcessors()),
				load);
	}

	// every saga completed, each step applied once, every command and reply sent
	private void check() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (this.outboxes.stream().anyMatch((outbox) -> outbox.backlog().pending() > 0)
				&& System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		long pending = this.outboxes.stream().mapToLong((outbox) -> outbox.backlog().pending()).sum();
		long balances = this.jdbc.queryForObject("select -sum(balance) from cmd_bench_account", Long.class);
		long stock = this.jdbc.queryForObject("select -sum(available) from cmd_bench_stock", Long.class);
		long points = this.jdbc.queryForObject("select sum(points) from cmd_bench_loyalty", Long.class);
		Map<String, Long> sagas = new LinkedHashMap<>();
		this.jdbc.query("select status, count(*) from cmdbench_orders_saga_instance group by status",
				(row) -> {
					sagas.put(row.getString(1), row.getLong(2));
				});
		long dtxSagas = sagas.values().stream().mapToLong(Long::longValue).sum();
		boolean ok = balances == this.debited.sum() && points == this.debited.sum() && stock == this.taken.sum()
				&& sagas.equals(Map.of("COMPLETED", dtxSagas)) && this.plain.underWay() == 0 && pending == 0
				&& dtxSagas + this.plain.completed() == this.sagasStarted.get();
		this.checksPassed &= ok;
		System.out.printf(Locale.ROOT, "check: %,d sagas started, %,d completed by dtx %s and %,d by plain"
				+ " request/reply (%d under way); debited %,d, points %,d (expected %,d); stock taken %,d (expected"
				+ " %,d); outbox rows unsent %d: %s%n", this.sagasStarted.get(), dtxSagas, sagas,
				this.plain.completed(), this.plain.underWay(), balances, points, this.debited.sum(), stock,
				this.taken.sum(), pending, ok ? "OK" : "WRONG");
	}

	private static long percentile(List<Long> sorted, double percentile) {
		if (sorted.isEmpty()) {
			return 0;
		}
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile * sorted.size()) - 1));
	}

	private static double loadAverage() {
		return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

	record Result(String variant, double perSecond, double p50Millis, double p99Millis, double jvmCpuMillis,
			double postgresCpuMillis, long failed, double othersPercent, double loadAverage) {

	}

}
