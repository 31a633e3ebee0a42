package io.dtx.samples.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The TCC benchmark, local variant: on PostgreSQL, with 16 concurrent callers, how many
 * TCC transactions of two local branches (one UPDATE each) run per second, against the
 * same two UPDATEs in plain local transactions. A second baseline runs all four business
 * statements of a TCC (two tries, two confirms) in plain local transactions, so that what
 * is left of the gap is dtx's own bookkeeping.
 * <p>
 * Every variant runs in the same process on the same pool: a warm-up, then a measured
 * phase, then a check of the rows. Settings, as {@code --name=value} arguments or
 * {@code -Dbench.name=value} system properties: {@code callers} (16), {@code warmup}
 * (5s), {@code duration} (15s), {@code rows} (10000 per table), {@code rounds} (1),
 * {@code url}, {@code username}, {@code password}.
 */
public final class TccBenchmark {

	private static final long INITIAL = 1_000_000_000_000L;

	// an arbitrary key for PostgreSQL's advisory lock that lets one run at a time in
	private static final long RUN_LOCK = 0x7cc_be9c4L;

	private final Settings settings;

	private final JdbcTemplate jdbc;

	private final TccBenchShop.Orders orders;

	private final TccBenchMeter meter;

	// what the checks expect, per row: index 0 is unused, ids start at 1
	private final AtomicLongArray paid;

	private final AtomicLongArray frozen;

	private final AtomicLongArray taken;

	private final AtomicLongArray reserved;

	private long tccTransactions;

	private boolean checksPassed = true;

	private TccBenchmark(Settings settings, ConfigurableApplicationContext context) {
		this.settings = settings;
		this.jdbc = new JdbcTemplate(context.getBean(DataSource.class));
		this.orders = context.getBean(TccBenchShop.Orders.class);
		this.meter = new TccBenchMeter(context.getBean(DataSource.class));
		this.paid = new AtomicLongArray(settings.rows() + 1);
		this.frozen = new AtomicLongArray(settings.rows() + 1);
		this.taken = new AtomicLongArray(settings.rows() + 1);
		this.reserved = new AtomicLongArray(settings.rows() + 1);
	}

	public static void main(String[] args) throws InterruptedException, SQLException {
		Settings settings = Settings.of(args);
		try (Connection lock = exclusiveRun(settings);
				ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchApplication.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(settings.springProperties())
			.run()) {
			new TccBenchmark(settings, context).run();
		}
	}

	/**
	 * Waits until no other run of this benchmark uses the database, and holds it off until
	 * the returned connection closes: two runs would drop each other's tables and move each
	 * other's rows.
	 */
	static Connection exclusiveRun(Settings settings) throws SQLException {
		Connection connection = DriverManager.getConnection(
				settings.urlNamed(TccBenchMeter.APPLICATION_NAME + "-lock"), settings.username(), settings.password());
		try (Statement statement = connection.createStatement()) {
			ResultSet tried = statement.executeQuery("select pg_try_advisory_lock(" + RUN_LOCK + ")");
			tried.next();
			if (!tried.getBoolean(1)) {
				System.out.println("another run of this benchmark uses the database: waiting for it to end ...");
				statement.execute("select pg_advisory_lock(" + RUN_LOCK + ")");
			}
		}
		catch (SQLException ex) {
			connection.close();
			throw ex;
		}
		return connection;
	}

	private void run() throws InterruptedException {
		System.out.printf(Locale.ROOT, "TCC benchmark, local variant: %d callers, %s warm-up, %s measured, "
				+ "%d rows per table, %d round(s), %s, %d CPUs%n", this.settings.callers(),
				this.settings.warmup().toSeconds() + "s", this.settings.duration().toSeconds() + "s",
				this.settings.rows(), this.settings.rounds(), this.settings.url(),
				Runtime.getRuntime().availableProcessors());
		createTables();
		int others = this.meter.otherSessions();
		if (others > 0) {
			System.out.println("note: " + others + " other session(s) use this database; their commits and rows "
					+ "would inflate the commits/tx and rows/tx columns");
		}
		List<Variant> variants = List.of(
				new Variant("plain: 2 try UPDATEs, 2 local tx", Kind.TRIES, this::tries),
				new Variant("plain: 2 tries + 2 confirms, 4 local tx", Kind.TRIES_AND_CONFIRMS,
						this::triesAndConfirms),
				new Variant("TCC: @TccTransaction, 2 local branches", Kind.TCC, this.orders::order));
		List<Result> results = new ArrayList<>();
		for (int round = 1; round <= this.settings.rounds(); round++) {
			for (Variant variant : variants) {
				System.out.println("running " + variant.name() + ((this.settings.rounds() > 1) ? " (round "
						+ round + ")" : "") + " ...");
				Result result = measure(variant, round);
				results.add(result);
				check(variant, result);
			}
		}
		printTable(results);
		System.out.println((this.checksPassed && results.stream().allMatch((result) -> result.failed() == 0))
				? "ALL CHECKS PASSED" : "CHECKS FAILED");
	}

	private void tries(int account, int amount, int item, int quantity) {
		TccBenchShop.updateOne(this.jdbc, TccBenchShop.FREEZE, amount, account);
		TccBenchShop.updateOne(this.jdbc, TccBenchShop.RESERVE, quantity, item);
	}

	private void triesAndConfirms(int account, int amount, int item, int quantity) {
		TccBenchShop.updateOne(this.jdbc, TccBenchShop.FREEZE, amount, account);
		TccBenchShop.updateOne(this.jdbc, TccBenchShop.RESERVE, quantity, item);
		TccBenchShop.updateOne(this.jdbc, TccBenchShop.PAY, amount, amount, account);
		TccBenchShop.updateOne(this.jdbc, TccBenchShop.TAKE, quantity, quantity, item);
	}

	private void createTables() {
		this.jdbc.execute("drop table if exists tcc_bench_account, tcc_bench_stock");
		this.jdbc.execute("create table tcc_bench_account (id int primary key, balance bigint not null,"
				+ " frozen bigint not null)");
		this.jdbc.execute("create table tcc_bench_stock (id int primary key, available bigint not null,"
				+ " reserved bigint not null)");
		this.jdbc.update("insert into tcc_bench_account select i, ?, 0 from generate_series(1, ?) i", INITIAL,
				this.settings.rows());
		this.jdbc.update("insert into tcc_bench_stock select i, ?, 0 from generate_series(1, ?) i", INITIAL,
				this.settings.rows());
		// dtx created its tables at start-up; earlier runs' rows would only slow it down
		this.jdbc.execute("truncate tccbench_global_transaction, tccbench_branch_fence");
	}

	/**
	 * Runs the variant's callers through a warm-up and a measured phase without a pause
	 * between them, so that the measured phase starts at full load.
	 */
	private Result measure(Variant variant, int round) throws InterruptedException {
		// every variant starts from tidy tables and a fresh checkpoint: neither dead rows
		// nor full-page writes carried over from the one before
		this.jdbc.execute("vacuum analyze tcc_bench_account, tcc_bench_stock, tccbench_global_transaction,"
				+ " tccbench_branch_fence");
		this.jdbc.execute("checkpoint");
		this.meter.recycleConnections();
		List<Integer> backends = this.meter.backends();
		TccBenchMeter.DatabaseCounters countersBefore = this.meter.databaseCounters();
		Load load = new Load(variant);
		// named by variant, so that a profile tells the variants' callers apart
		ExecutorService callers = Executors.newFixedThreadPool(this.settings.callers(),
				new CustomizableThreadFactory(variant.kind().name().toLowerCase(Locale.ROOT) + "-caller-"));
		for (int i = 0; i < this.settings.callers(); i++) {
			callers.execute(load::call);
		}
		Thread.sleep(this.settings.warmup().toMillis());
		long doneBefore = load.done.sum();
		TccBenchMeter.Cpu cpuBefore = this.meter.cpu(backends);
		long start = System.nanoTime();
		Thread.sleep(this.settings.duration().toMillis());
		long doneAfter = load.done.sum();
		TccBenchMeter.Cpu cpuAfter = this.meter.cpu(backends);
		long elapsed = System.nanoTime() - start;
		double others = cpuAfter.othersPercent(cpuBefore, elapsed, Runtime.getRuntime().availableProcessors());
		load.stop = true;
		callers.shutdown();
		if (!callers.awaitTermination(1, TimeUnit.MINUTES)) {
			throw new IllegalStateException("callers of " + variant.name() + " did not stop");
		}
		this.meter.recycleConnections();
		TccBenchMeter.DatabaseCounters countersAfter = this.meter.databaseCounters();
		long measured = doneAfter - doneBefore;
		long all = load.done.sum() + load.failed.sum();
		if (load.firstFailure.get() != null) {
			System.out.println("first failure of " + variant.name() + ": " + load.firstFailure.get());
		}
		return new Result(variant.name(), round, measured, measured * 1e9 / elapsed,
				(cpuAfter.jvmNanos() - cpuBefore.jvmNanos()) / 1e6 / measured,
				(cpuBefore.postgresNanos() < 0 || cpuAfter.postgresNanos() < 0) ? Double.NaN
						: (cpuAfter.postgresNanos() - cpuBefore.postgresNanos()) / 1e6 / measured,
				(double) (countersAfter.commits() - countersBefore.commits()) / all,
				(double) (countersAfter.rowsWritten() - countersBefore.rowsWritten()) / all,
				countersAfter.rollbacks() - countersBefore.rollbacks(), load.done.sum(), load.failed.sum(), others);
	}

	/**
	 * Checks every row against what the callers did: tries alone leave frozen and reserved
	 * amounts, which are checked and then released; confirmed transactions leave none,
	 * and move balance and stock by exactly what they confirmed.
	 */
	private void check(Variant variant, Result result) {
		long[] account = new long[3];
		long[] stock = new long[3];
		int wrong = compare("tcc_bench_account", this.paid, this.frozen, account)
				+ compare("tcc_bench_stock", this.taken, this.reserved, stock);
		StringBuilder report = new StringBuilder();
		report.append(String.format(Locale.ROOT, "  check: %,d done, %,d failed; balance moved %,d (expected %,d),"
				+ " frozen %,d (expected %,d); stock moved %,d (expected %,d), reserved %,d (expected %,d)",
				result.done(), result.failed(), account[0], account[1], account[2], sum(this.frozen), stock[0],
				stock[1], stock[2], sum(this.reserved)));
		if (variant.kind() == Kind.TCC) {
			this.tccTransactions += result.done() + result.failed();
			Map<String, Long> global = states("tccbench_global_transaction");
			Map<String, Long> fence = states("tccbench_branch_fence");
			report.append(String.format(Locale.ROOT, "; global transactions %s, branch fences %s (expected %,d and"
					+ " %,d CONFIRMED)", global, fence, this.tccTransactions, 2 * this.tccTransactions));
			if (!global.equals(Map.of("CONFIRMED", this.tccTransactions))
					|| !fence.equals(Map.of("CONFIRMED", 2 * this.tccTransactions))) {
				wrong++;
			}
		}
		boolean ok = wrong == 0 && result.failed() == 0;
		this.checksPassed &= ok;
		System.out.println(report.append(ok ? ": OK" : ": WRONG (" + wrong + " rows or states differ)"));
		if (variant.kind() == Kind.TRIES) {
			// release what the plain tries froze, so that the next variants start from zero
			this.jdbc.update("update tcc_bench_account set frozen = 0 where frozen <> 0");
			this.jdbc.update("update tcc_bench_stock set reserved = 0 where reserved <> 0");
			clear(this.frozen);
			clear(this.reserved);
		}
	}

	/**
	 * Compares each row with the expected movement and hold, and sums them up in
	 * {@code totals}: moved, expected moved, held. Returns how many rows differ.
	 */
	private int compare(String table, AtomicLongArray moved, AtomicLongArray held, long[] totals) {
		long[] wrong = new long[1];
		this.jdbc.query("select id, " + (table.endsWith("account") ? "balance, frozen" : "available, reserved")
				+ " from " + table, (rs) -> {
					int id = rs.getInt(1);
					long movedHere = INITIAL - rs.getLong(2);
					long heldHere = rs.getLong(3);
					totals[0] += movedHere;
					totals[1] += moved.get(id);
					totals[2] += heldHere;
					if (movedHere != moved.get(id) || heldHere != held.get(id)) {
						wrong[0]++;
					}
				});
		return (int) wrong[0];
	}

	private Map<String, Long> states(String table) {
		return states(this.jdbc, table);
	}

	/**
	 * How many rows of a dtx table are in each state.
	 */
	static Map<String, Long> states(JdbcTemplate jdbc, String table) {
		Map<String, Long> states = new HashMap<>();
		jdbc.query("select state, count(*) from " + table + " group by state",
				(rs) -> {
					states.put(rs.getString(1), rs.getLong(2));
				});
		return states;
	}

	private void printTable(List<Result> results) {
		System.out.println();
		String header = String.format(Locale.ROOT, "%-42s %9s %9s %9s %10s %8s %8s %6s %6s %7s", "variant", "tx/s",
				"JVM ms/tx", "PG ms/tx", "commits/tx", "rows/tx", "measured", "failed", "others", "ratio");
		System.out.println(header);
		System.out.println("-".repeat(header.length()));
		Map<Integer, Double> baseline = new LinkedHashMap<>();
		for (Result result : results) {
			double base = baseline.computeIfAbsent(result.round(), (round) -> result.perSecond());
			String name = result.variant() + ((this.settings.rounds() > 1) ? " #" + result.round() : "");
			System.out.printf(Locale.ROOT, "%-42s %9.0f %9.3f %9s %10.2f %8.2f %8d %6d %5.0f%% %7.2f%n", name,
					result.perSecond(), result.jvmCpuMillis(),
					Double.isNaN(result.postgresCpuMillis()) ? "n/a"
							: String.format(Locale.ROOT, "%.3f", result.postgresCpuMillis()),
					result.commits(), result.rowsWritten(), result.measured(), result.failed(), result.othersPercent(),
					result.perSecond() / base);
		}
		System.out.println();
		System.out.println("ratio = tx/s over the first variant's (the same two UPDATEs in plain local transactions);"
				+ " goal for TCC: >= 0.60");
		Map<Integer, List<Result>> byRound = new LinkedHashMap<>();
		results.forEach((result) -> byRound.computeIfAbsent(result.round(), (round) -> new ArrayList<>()).add(result));
		byRound.forEach((round, inRound) -> {
			if (inRound.size() == 3) {
				System.out.printf(Locale.ROOT, "%sTCC / plain tries = %.2f, TCC / plain tries+confirms = %.2f,"
						+ " plain tries+confirms / plain tries = %.2f%n",
						(this.settings.rounds() > 1) ? "round " + round + ": " : "",
						inRound.get(2).perSecond() / inRound.get(0).perSecond(),
						inRound.get(2).perSecond() / inRound.get(1).perSecond(),
						inRound.get(1).perSecond() / inRound.get(0).perSecond());
			}
		});
		long rollbacks = results.stream().mapToLong(Result::rollbacks).sum();
		System.out.println("PG ms/tx: the benchmark's own backends (utime+stime from /proc), without the shared "
				+ "WAL writer and checkpointer; others: share of all CPUs used by other processes (PostgreSQL's "
				+ "background processes included) in the measured phase; database rollbacks during the run: "
				+ rollbacks);
	}

	private static long sum(AtomicLongArray array) {
		long sum = 0;
		for (int i = 0; i < array.length(); i++) {
			sum += array.get(i);
		}
		return sum;
	}

	private static void clear(AtomicLongArray array) {
		for (int i = 0; i < array.length(); i++) {
			array.set(i, 0);
		}
	}

	/**
	 * The callers of one variant: each picks a random account and item, runs the work,
	 * and records what it moved, until told to stop.
	 */
	private final class Load {

		private final Variant variant;

		private final LongAdder done = new LongAdder();

		private final LongAdder failed = new LongAdder();

		private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

		private volatile boolean stop;

		Load(Variant variant) {
			this.variant = variant;
		}

		void call() {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			int rows = TccBenchmark.this.settings.rows();
			while (!this.stop) {
				int account = random.nextInt(rows) + 1;
				int amount = random.nextInt(1, 101);
				int item = random.nextInt(rows) + 1;
				int quantity = random.nextInt(1, 6);
				try {
					this.variant.work().run(account, amount, item, quantity);
				}
				catch (RuntimeException ex) {
					this.failed.increment();
					this.firstFailure.compareAndSet(null, ex);
					continue;
				}
				this.done.increment();
				record(account, amount, item, quantity);
			}
		}

		private void record(int account, int amount, int item, int quantity) {
			// plain tries only hold; the other variants end with nothing held, all moved
			if (this.variant.kind() == Kind.TRIES) {
				TccBenchmark.this.frozen.addAndGet(account, amount);
				TccBenchmark.this.reserved.addAndGet(item, quantity);
			}
			else {
				TccBenchmark.this.paid.addAndGet(account, amount);
				TccBenchmark.this.taken.addAndGet(item, quantity);
			}
		}

	}

	/**
	 * One transaction of a variant.
	 */
	@FunctionalInterface
	interface Work {

		void run(int account, int amount, int item, int quantity);

	}

	/**
	 * What a variant leaves in the rows, which is what its check expects.
	 */
	enum Kind {

		/** Freezes and reserves only. */
		TRIES,

		/** Freezes, reserves, pays and takes, as four local transactions. */
		TRIES_AND_CONFIRMS,

		/** The same business statements as a dtx TCC transaction. */
		TCC

	}

	/**
	 * A way of running the order's business statements.
	 */
	record Variant(String name, Kind kind, Work work) {

	}

	/**
	 * What a variant measured: rates and costs per transaction of its measured phase,
	 * database counters per transaction of the whole variant.
	 */
	record Result(String variant, int round, long measured, double perSecond, double jvmCpuMillis,
			double postgresCpuMillis, double commits, double rowsWritten, long rollbacks, long done, long failed,
			double othersPercent) {

	}

	/**
	 * The benchmark's settings, from {@code --name=value} arguments, else
	 * {@code bench.name} system properties, else defaults.
	 */
	record Settings(int callers, Duration warmup, Duration duration, int rows, int rounds, String url,
			String username, String password) {

		static Settings of(String[] args) {
			Map<String, String> given = new HashMap<>();
			for (String arg : args) {
				String pair = arg.startsWith("--") ? arg.substring(2) : arg;
				int equals = pair.indexOf('=');
				if (equals > 0) {
					given.put(pair.substring(0, equals), pair.substring(equals + 1));
				}
			}
			java.util.function.BiFunction<String, String, String> setting = (name, fallback) -> given
				.getOrDefault(name, System.getProperty("bench." + name, fallback));
			return new Settings(Integer.parseInt(setting.apply("callers", "16")),
					DurationStyle.detectAndParse(setting.apply("warmup", "5s")),
					DurationStyle.detectAndParse(setting.apply("duration", "15s")),
					Integer.parseInt(setting.apply("rows", "10000")), Integer.parseInt(setting.apply("rounds", "1")),
					setting.apply("url", "jdbc:postgresql://127.0.0.1:5432/dtx_bench"),
					setting.apply("username", "postgres"), setting.apply("password", ""));
		}

		/**
		 * The URL with an application name, by which PostgreSQL tells this benchmark's
		 * sessions apart.
		 */
		String urlNamed(String applicationName) {
			return this.url + (this.url.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName;
		}

		Map<String, Object> springProperties() {
			Map<String, Object> properties = new LinkedHashMap<>();
			// a config name of its own: the samples' application.yml declares the XA demo's data
			// sources, whose JTA manager would hold no transaction on this pool
			properties.put("spring.config.name", "tcc-benchmark");
			properties.put("spring.datasource.url", urlNamed(TccBenchMeter.APPLICATION_NAME));
			properties.put("spring.datasource.username", this.username);
			properties.put("spring.datasource.password", this.password);
			// one connection per caller, one for recovery and one for the checks, all opened
			// up front so that the backends measured are the ones that do the work
			properties.put("spring.datasource.hikari.maximum-pool-size", this.callers + 2);
			properties.put("spring.datasource.hikari.minimum-idle", this.callers + 2);
			properties.put("spring.datasource.hikari.pool-name", TccBenchMeter.APPLICATION_NAME);
			properties.put("dtx.schema.table-prefix", "tccbench_");
			properties.put("logging.level.root", "WARN");
			return properties;
		}

	}

	/**
	 * The application under test: dtx's auto-configuration on a Hikari pool, and the
	 * shop's two participants and its order.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class BenchApplication {

		@Bean
		TccBenchShop.Accounts accounts(DataSource dataSource) {
			return new TccBenchShop.Accounts(dataSource);
		}

		@Bean
		TccBenchShop.Stock stock(DataSource dataSource) {
			return new TccBenchShop.Stock(dataSource);
		}

		@Bean
		TccBenchShop.Orders orders(TccBenchShop.Accounts accounts, TccBenchShop.Stock stock) {
			return new TccBenchShop.Orders(accounts, stock);
		}

	}

}
