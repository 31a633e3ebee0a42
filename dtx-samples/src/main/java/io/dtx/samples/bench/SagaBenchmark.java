package io.dtx.samples.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The saga benchmark: on PostgreSQL, with 16 concurrent callers, how many sagas of three
 * local steps (one UPDATE each) run per second, against the same three UPDATEs in plain
 * local transactions, and what each costs in CPU. Settings as for {@link TccBenchmark}
 * ({@code --callers=16 --warmup=5s --duration=15s --rows=10000 --rounds=1 --url=…}).
 * Every row and dtx's tables are checked afterwards.
 */
public final class SagaBenchmark {

	private final TccBenchmark.Settings settings;

	private final JdbcTemplate jdbc;

	private final SagaBenchShop.Orders orders;

	private final TccBenchMeter meter;

	private final LongAdder debited = new LongAdder();

	private long sagas;

	private boolean checksPassed = true;

	private SagaBenchmark(TccBenchmark.Settings settings, ConfigurableApplicationContext context) {
		this.settings = settings;
		this.jdbc = new JdbcTemplate(context.getBean(DataSource.class));
		this.orders = context.getBean(SagaBenchShop.Orders.class);
		this.meter = new TccBenchMeter(context.getBean(DataSource.class));
	}

	public static void main(String[] args) throws InterruptedException, SQLException {
		TccBenchmark.Settings settings = TccBenchmark.Settings.of(args);
		Map<String, Object> properties = settings.springProperties();
		properties.put("dtx.schema.table-prefix", "sagabench_");
		// no such file: the XA demo's application.yml stays out of it
		properties.put("spring.config.name", "saga-benchmark");
		try (Connection lock = TccBenchmark.exclusiveRun(settings);
				ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchApplication.class)
					.web(WebApplicationType.NONE)
					.bannerMode(Banner.Mode.OFF)
					.logStartupInfo(false)
					.properties(properties)
					.run()) {
			new SagaBenchmark(settings, context).run();
		}
	}

	private void run() throws InterruptedException {
		System.out.printf(Locale.ROOT, "Saga benchmark: %d callers, %ds warm-up, %ds measured, %d rows per table,"
				+ " %d round(s), %s, %d CPUs%n", this.settings.callers(), this.settings.warmup().toSeconds(),
				this.settings.duration().toSeconds(), this.settings.rows(), this.settings.rounds(), this.settings.url(),
				Runtime.getRuntime().availableProcessors());
		createTables();
		List<Result> results = new ArrayList<>();
		for (int round = 1; round <= this.settings.rounds(); round++) {
			results.add(measure("plain: 3 UPDATEs, 3 local tx", false));
			results.add(measure("saga: @Saga, 3 local @SagaSteps", true));
		}
		check();
		System.out.println();
		String header = String.format(Locale.ROOT, "%-36s %9s %10s %9s %9s %7s", "variant", "tx/s", "JVM ms/tx",
				"PG ms/tx", "failed", "ratio");
		System.out.println(header);
		System.out.println("-".repeat(header.length()));
		for (int i = 0; i < results.size(); i++) {
			Result result = results.get(i);
			double base = results.get(i - (i % 2)).perSecond();
			System.out.printf(Locale.ROOT, "%-36s %9.0f %10.3f %9.3f %9d %7.2f%n", result.variant(),
					result.perSecond(), result.jvmCpuMillis(), result.postgresCpuMillis(), result.failed(),
					result.perSecond() / base);
		}
		System.out.println();
		System.out.println("ratio = tx/s over the plain variant's of the same round; goal for sagas: >= 0.60");
		System.out.println(this.checksPassed ? "ALL CHECKS PASSED" : "CHECKS FAILED");
	}

	private void createTables() {
		this.jdbc.execute("drop table if exists saga_bench_account, saga_bench_stock, saga_bench_loyalty");
		for (String table : List.of("saga_bench_account (id int primary key, balance bigint not null)",
				"saga_bench_stock (id int primary key, available bigint not null)",
				"saga_bench_loyalty (id int primary key, points bigint not null)")) {
			this.jdbc.execute("create table " + table);
			this.jdbc.update("insert into " + table.substring(0, table.indexOf(' '))
					+ " select i, 0 from generate_series(1, ?) i", this.settings.rows());
		}
		// dtx created its tables at start-up; earlier runs' rows would only slow it down
		this.jdbc.execute("truncate sagabench_global_transaction, sagabench_branch_fence");
	}

	private Result measure(String name, boolean saga) throws InterruptedException {
		System.out.println("running " + name + " ...");
		this.jdbc.execute("vacuum analyze saga_bench_account, saga_bench_stock, saga_bench_loyalty,"
				+ " sagabench_global_transaction, sagabench_branch_fence");
		this.jdbc.execute("checkpoint");
		this.meter.recycleConnections();
		List<Integer> backends = this.meter.backends();
		LongAdder done = new LongAdder();
		LongAdder failed = new LongAdder();
		AtomicReference<Exception> firstFailure = new AtomicReference<>();
		AtomicBoolean stop = new AtomicBoolean();
		ExecutorService callers = Executors.newFixedThreadPool(this.settings.callers());
		for (int i = 0; i < this.settings.callers(); i++) {
			callers.execute(() -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				while (!stop.get()) {
					int account = random.nextInt(this.settings.rows()) + 1;
					int amount = random.nextInt(1, 101);
					int item = random.nextInt(this.settings.rows()) + 1;
					int quantity = random.nextInt(1, 6);
					try {
						if (saga) {
							this.orders.order(account, amount, item, quantity);
						}
						else {
							SagaBenchShop.plain(this.jdbc, account, amount, item, quantity);
						}
						this.debited.add(amount);
						done.increment();
					}
					catch (RuntimeException ex) {
						failed.increment();
						firstFailure.compareAndSet(null, ex);
					}
				}
			});
		}
		Thread.sleep(this.settings.warmup().toMillis());
		long doneBefore = done.sum();
		TccBenchMeter.Cpu cpuBefore = this.meter.cpu(backends);
		long start = System.nanoTime();
		Thread.sleep(this.settings.duration().toMillis());
		long measured = done.sum() - doneBefore;
		TccBenchMeter.Cpu cpuAfter = this.meter.cpu(backends);
		long elapsed = System.nanoTime() - start;
		stop.set(true);
		callers.shutdown();
		if (!callers.awaitTermination(1, TimeUnit.MINUTES)) {
			throw new IllegalStateException("callers of " + name + " did not stop");
		}
		if (firstFailure.get() != null) {
			System.out.println("first failure of " + name + ": " + firstFailure.get());
			this.checksPassed = false;
		}
		if (saga) {
			this.sagas += done.sum() + failed.sum();
		}
		return new Result(name, measured * 1e9 / elapsed, (cpuAfter.jvmNanos() - cpuBefore.jvmNanos()) / 1e6 / measured,
				(cpuAfter.postgresNanos() - cpuBefore.postgresNanos()) / 1e6 / measured, failed.sum());
	}

	// every amount debited is in the accounts, every saga finished with its three steps closed
	private void check() {
		long balances = this.jdbc.queryForObject("select -sum(balance) from saga_bench_account", Long.class);
		Map<String, Long> global = TccBenchmark.states(this.jdbc, "sagabench_global_transaction");
		Map<String, Long> fence = TccBenchmark.states(this.jdbc, "sagabench_branch_fence");
		boolean ok = balances == this.debited.sum() && global.equals(Map.of("CONFIRMED", this.sagas))
				&& fence.equals(Map.of("CONFIRMED", 3 * this.sagas));
		this.checksPassed &= ok;
		System.out.printf(Locale.ROOT, "check: debited %,d (expected %,d); sagas %s, steps %s (expected %,d and %,d"
				+ " CONFIRMED): %s%n", balances, this.debited.sum(), global, fence, this.sagas, 3 * this.sagas,
				ok ? "OK" : "WRONG");
	}

	record Result(String variant, double perSecond, double jvmCpuMillis, double postgresCpuMillis, long failed) {

	}

	/**
	 * The application under test: dtx's auto-configuration on a Hikari pool, and the
	 * shop's steps and its order.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class BenchApplication {

		@Bean
		SagaBenchShop.Steps steps(DataSource dataSource) {
			return new SagaBenchShop.Steps(dataSource);
		}

		@Bean
		SagaBenchShop.Orders orders(SagaBenchShop.Steps steps) {
			return new SagaBenchShop.Orders(steps);
		}

	}

}
