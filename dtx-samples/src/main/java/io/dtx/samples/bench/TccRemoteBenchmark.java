package io.dtx.samples.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.dtx.tcc.Cancel;
import io.dtx.tcc.Confirm;
import io.dtx.tcc.TccTransaction;
import io.dtx.tcc.TccTry;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * The TCC benchmark, remote variant: an order service whose {@code @TccTransaction}
 * freezes funds in a local branch and reserves stock in a stock service over HTTP, both
 * Spring Boot applications in this process on one PostgreSQL database (each with dtx
 * tables of its own). Measured against the same two UPDATEs in plain local transactions,
 * and against the same UPDATEs with the stock one behind a plain HTTP call, so that the
 * cost of HTTP and the cost of dtx show apart. Settings as for {@link TccBenchmark}.
 */
public final class TccRemoteBenchmark {

	static final String FREEZE = "update tcc_remote_account set frozen = frozen + ? where id = ?";

	static final String PAY = "update tcc_remote_account set balance = balance - ?, frozen = frozen - ? where id = ?";

	static final String UNFREEZE = "update tcc_remote_account set frozen = frozen - ? where id = ?";

	static final String RESERVE = "update tcc_remote_stock set reserved = reserved + ? where id = ?";

	static final String TAKE = "update tcc_remote_stock set available = available - ?, reserved = reserved - ?"
			+ " where id = ?";

	static final String RELEASE = "update tcc_remote_stock set reserved = reserved - ? where id = ?";

	private TccRemoteBenchmark() {
	}

	public static void main(String[] args) throws InterruptedException {
		TccBenchmark.Settings settings = TccBenchmark.Settings.of(args);
		System.out.printf(Locale.ROOT, "TCC benchmark, remote variant: %d callers, %ss warm-up, %ss measured, "
				+ "%d rows per table, %s, %d CPUs%n", settings.callers(), settings.warmup().toSeconds(),
				settings.duration().toSeconds(), settings.rows(), settings.url(),
				Runtime.getRuntime().availableProcessors());
		try (ConfigurableApplicationContext stock = start(StockService.class, WebApplicationType.SERVLET, settings,
				"tccremote_stock_", Map.of("server.port", "0"));
				ConfigurableApplicationContext order = start(OrderService.class, WebApplicationType.NONE, settings,
						"tccremote_order_", Map.of("stock.url", "http://localhost:"
								+ stock.getEnvironment().getProperty("local.server.port")))) {
			JdbcTemplate jdbc = new JdbcTemplate(order.getBean(DataSource.class));
			createTables(jdbc, settings.rows());
			RestClient stockService = order.getBean(RestClient.class);
			Orders orders = order.getBean(Orders.class);
			List<Result> results = new ArrayList<>();
			results.add(measure("plain: 2 UPDATEs, 2 local tx", settings, (account, item) -> {
				jdbc.update(FREEZE, 10, account);
				jdbc.update(RESERVE, 1, item);
			}));
			results.add(measure("plain + HTTP: the stock UPDATE behind a call", settings, (account, item) -> {
				jdbc.update(FREEZE, 10, account);
				stockService.post().uri("/plain-reservations?item={item}", item).retrieve().toBodilessEntity();
			}));
			Sums before = Sums.of(jdbc);
			results.add(measure("TCC: 1 local branch + 1 remote participant", settings, orders::order));
			report(results, check(before, Sums.of(jdbc), results.get(2).done()));
		}
	}

	private static ConfigurableApplicationContext start(Class<?> application, WebApplicationType type,
			TccBenchmark.Settings settings, String tablePrefix, Map<String, Object> more) {
		Map<String, Object> properties = new java.util.LinkedHashMap<>(more);
		properties.put("spring.config.name", "tcc-remote-benchmark");
		properties.put("spring.datasource.url", settings.url());
		properties.put("spring.datasource.username", settings.username());
		properties.put("spring.datasource.password", settings.password());
		properties.put("spring.datasource.hikari.maximum-pool-size", settings.callers() + 4);
		properties.put("spring.flyway.enabled", "false");
		properties.put("dtx.schema.table-prefix", tablePrefix);
		properties.put("dtx.http.secret", "benchmark-secret");
		properties.put("dtx.http.self-url", "http://localhost");
		properties.put("server.tomcat.threads.max", settings.callers() + 4);
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.com.atomikos", "ERROR");
		properties.put("logging.level.org.flywaydb", "ERROR");
		return new SpringApplicationBuilder(application).web(type)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties)
			.run();
	}

	private static void createTables(JdbcTemplate jdbc, int rows) {
		jdbc.execute("drop table if exists tcc_remote_account, tcc_remote_stock");
		jdbc.execute("create table tcc_remote_account (id int primary key, balance bigint not null,"
				+ " frozen bigint not null)");
		jdbc.execute("create table tcc_remote_stock (id int primary key, available bigint not null,"
				+ " reserved bigint not null)");
		jdbc.update("insert into tcc_remote_account select i, 1000000000, 0 from generate_series(1, ?) i", rows);
		jdbc.update("insert into tcc_remote_stock select i, 1000000000, 0 from generate_series(1, ?) i", rows);
		jdbc.execute("vacuum analyze tcc_remote_account, tcc_remote_stock");
	}

	/**
	 * Runs the work with every caller, warm-up first, and measures the second phase.
	 */
	private static Result measure(String name, TccBenchmark.Settings settings, Work work)
			throws InterruptedException {
		System.out.println("running " + name + " ...");
		AtomicBoolean stop = new AtomicBoolean();
		AtomicLong done = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		List<Thread> callers = new ArrayList<>();
		for (int i = 0; i < settings.callers(); i++) {
			Thread caller = new Thread(() -> {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				while (!stop.get()) {
					try {
						work.run(random.nextInt(1, settings.rows() + 1), random.nextInt(1, settings.rows() + 1));
						done.incrementAndGet();
					}
					catch (RuntimeException ex) {
						failed.incrementAndGet();
					}
				}
			});
			caller.start();
			callers.add(caller);
		}
		Thread.sleep(settings.warmup().toMillis());
		long doneBefore = done.get();
		long cpuBefore = cpuNanos();
		long startedAt = System.nanoTime();
		Thread.sleep(settings.duration().toMillis());
		long measured = done.get() - doneBefore;
		long elapsed = System.nanoTime() - startedAt;
		long cpu = cpuNanos() - cpuBefore;
		stop.set(true);
		for (Thread caller : callers) {
			caller.join();
		}
		return new Result(name, done.get(), measured * 1e9 / elapsed, cpu / 1e6 / Math.max(1, measured),
				failed.get());
	}

	// every TCC transaction done was confirmed once on both sides, and left nothing frozen or reserved
	private static boolean check(Sums before, Sums after, long done) {
		boolean ok = after.frozen() == before.frozen() && after.reserved() == before.reserved()
				&& after.paid() - before.paid() == 10 * done && after.taken() - before.taken() == done
				&& after.confirmed() - before.confirmed() == done;
		System.out.printf(Locale.ROOT, "  check: %,d TCC transactions done, %,d more CONFIRMED; paid %,d and taken %,d"
				+ " more; frozen and reserved %s: %s%n", done, after.confirmed() - before.confirmed(),
				after.paid() - before.paid(), after.taken() - before.taken(),
				(after.frozen() == before.frozen() && after.reserved() == before.reserved()) ? "unchanged" : "CHANGED",
				ok ? "OK" : "WRONG");
		return ok;
	}

	private static long count(JdbcTemplate jdbc, String sql) {
		Long value = jdbc.queryForObject(sql, Long.class);
		return (value != null) ? value : 0;
	}

	private static void report(List<Result> results, boolean checked) {
		System.out.println();
		System.out.printf(Locale.ROOT, "%-48s %10s %10s %8s %14s %14s%n", "variant", "tx/s", "JVM ms/tx", "failed",
				"vs plain", "vs plain+HTTP");
		for (Result result : results) {
			System.out.printf(Locale.ROOT, "%-48s %10.0f %10.3f %8d %14.2f %14.2f%n", result.name(),
					result.perSecond(), result.cpuMillis(), result.failed(),
					result.perSecond() / results.get(0).perSecond(), result.perSecond() / results.get(1).perSecond());
		}
		System.out.println();
		System.out.println("JVM ms/tx: this process's CPU, both services included (they share the JVM).");
		System.out.println(checked ? "ALL CHECKS PASSED" : "CHECKS FAILED");
	}

	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	interface Work {

		void run(int account, int item);

	}

	record Result(String name, long done, double perSecond, double cpuMillis, long failed) {

	}

	record Sums(long frozen, long reserved, long paid, long taken, long confirmed) {

		static Sums of(JdbcTemplate jdbc) {
			return new Sums(count(jdbc, "select sum(frozen) from tcc_remote_account"),
					count(jdbc, "select sum(reserved) from tcc_remote_stock"),
					count(jdbc, "select sum(1000000000 - balance) from tcc_remote_account"),
					count(jdbc, "select sum(1000000000 - available) from tcc_remote_stock"),
					count(jdbc, "select count(*) from tccremote_order_global_transaction where state = 'CONFIRMED'"));
		}

	}

	/**
	 * The order service: the initiator, with the funds branch.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class OrderService {

		@Bean
		Funds funds(DataSource dataSource) {
			return new Funds(new JdbcTemplate(dataSource));
		}

		@Bean
		RestClient stockClient(RestClient.Builder builder,
				org.springframework.core.env.Environment environment) {
			return builder.baseUrl(environment.getRequiredProperty("stock.url")).build();
		}

		@Bean
		Orders orders(Funds funds, RestClient stockClient) {
			return new Orders(funds, stockClient);
		}

	}

	static class Funds {

		private final JdbcTemplate jdbc;

		Funds(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@TccTry("freeze")
		public void freeze(int account, int amount) {
			this.jdbc.update(FREEZE, amount, account);
		}

		@Confirm("freeze")
		public void pay(int account, int amount) {
			this.jdbc.update(PAY, amount, amount, account);
		}

		@Cancel("freeze")
		public void unfreeze(int account, int amount) {
			this.jdbc.update(UNFREEZE, amount, account);
		}

	}

	static class Orders {

		private final Funds funds;

		private final RestClient stock;

		Orders(Funds funds, RestClient stock) {
			this.funds = funds;
			this.stock = stock;
		}

		@TccTransaction(name = "remote-bench-order")
		public void order(int account, int item) {
			this.funds.freeze(account, 10);
			this.stock.post().uri("/reservations?item={item}", item).retrieve().toBodilessEntity();
		}

	}

	/**
	 * The stock service: a participant, and, for the plain variant, the same UPDATE
	 * without dtx.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class StockService {

		@Bean
		Reservations reservations(DataSource dataSource) {
			return new Reservations(new JdbcTemplate(dataSource));
		}

		@Bean
		StockController stockController(Reservations reservations, DataSource dataSource) {
			return new StockController(reservations, new JdbcTemplate(dataSource));
		}

	}

	static class Reservations {

		private final JdbcTemplate jdbc;

		Reservations(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@TccTry("reserve")
		public void reserve(int item, int quantity) {
			this.jdbc.update(RESERVE, quantity, item);
		}

		@Confirm("reserve")
		public void take(int item, int quantity) {
			this.jdbc.update(TAKE, quantity, quantity, item);
		}

		@Cancel("reserve")
		public void release(int item, int quantity) {
			this.jdbc.update(RELEASE, quantity, item);
		}

	}

	@RestController
	static class StockController {

		private final Reservations reservations;

		private final JdbcTemplate jdbc;

		StockController(Reservations reservations, JdbcTemplate jdbc) {
			this.reservations = reservations;
			this.jdbc = jdbc;
		}

		@PostMapping("/reservations")
		void reserve(@RequestParam int item) {
			this.reservations.reserve(item, 1);
		}

		@PostMapping("/plain-reservations")
		void reservePlainly(@RequestParam int item) {
			this.jdbc.update(RESERVE, 1, item);
		}

	}

}
