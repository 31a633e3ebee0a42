package io.dtx.samples.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import javax.sql.DataSource;

import io.dtx.notify.NotificationDispatcher;
import io.dtx.notify.NotificationHandler;
import io.dtx.notify.Notifications;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The notification benchmark, on PostgreSQL, with a sender and a receiver in this process
 * (each a Spring Boot application with dtx tables of its own) talking over local HTTP:
 * <ol>
 * <li>business transactions (one UPDATE) per second with one notification each, divided
 * by the same transactions without, at the same number of callers, with the dispatcher
 * delivering as they run; and, to show where the difference goes, the same with the
 * dispatcher stopped (what the insert costs the caller) and with a {@code select 1}
 * instead (what one more round trip costs);</li>
 * <li>dispatch throughput of one sender instance: a backlog written with the dispatcher
 * stopped, then drained to the receiver, whose handler runs one UPDATE with its inbox
 * entry, in notifications per second — to one endpoint (at most
 * {@code max-concurrency-per-endpoint} at a time) and spread over {@code endpoints}
 * endpoints; each divided by the same number of POSTs of the same bodies, from as many
 * threads, to a plain {@code @Transactional} controller running the same UPDATE (no
 * claim, no signature, no inbox, no outcome recorded).</li>
 * </ol>
 * Every notification written is checked to have been applied exactly once. Settings, as
 * {@code --name=value} arguments or {@code -Dbench.name=value}: {@code url}
 * (jdbc:postgresql://127.0.0.1:5432/dtx_bench), {@code username} (postgres),
 * {@code password}, {@code callers} (16), {@code backlog} (20000), {@code endpoints}
 * (16), {@code threads} (16), {@code duration} (5s), {@code rounds} (3): each variant is
 * measured once per round, and the median of the rounds' ratios printed.
 */
public final class NotificationBenchmark {

	static final String SENDER = "bench-pay";

	static final String TYPE = "PAYMENT_SUCCEEDED";

	static final String SECRET = "notification-benchmark-secret";

	private static final int ACCOUNTS = 10_000;

	private final Map<String, String> settings;

	private final ConfigurableApplicationContext sender;

	private final ConfigurableApplicationContext receiver;

	private final Notifications notifications;

	private final NotificationDispatcher dispatcher;

	private final TransactionTemplate transaction;

	private final JdbcTemplate jdbc;

	private final int endpoints;

	private final List<String> failures = new ArrayList<>();

	private final AtomicLong written = new AtomicLong();

	private NotificationBenchmark(Map<String, String> settings, ConfigurableApplicationContext sender,
			ConfigurableApplicationContext receiver) {
		this.settings = settings;
		this.sender = sender;
		this.receiver = receiver;
		this.notifications = sender.getBean(Notifications.class);
		this.dispatcher = sender.getBean(NotificationDispatcher.class);
		this.transaction = new TransactionTemplate(sender.getBean(PlatformTransactionManager.class));
		this.jdbc = new JdbcTemplate(sender.getBean(DataSource.class));
		this.endpoints = Integer.parseInt(settings.get("endpoints"));
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> settings = settings(args);
		int pool = Integer.parseInt(settings.get("callers")) + Integer.parseInt(settings.get("threads")) + 4;
		Map<String, Object> receiverProperties = common(settings, "dtx_notify_bench_receiver_", pool);
		receiverProperties.put("server.port", 0);
		receiverProperties.put("server.tomcat.threads.max", pool);
		receiverProperties.put("dtx.notify.dispatcher-enabled", false);
		receiverProperties.put("dtx.notify.receiver.secrets." + SENDER, SECRET);
		try (ConfigurableApplicationContext receiver = start(ReceiverApplication.class, WebApplicationType.SERVLET,
				receiverProperties)) {
			String receiverUrl = "http://localhost:" + receiver.getEnvironment().getProperty("local.server.port");
			Map<String, Object> senderProperties = common(settings, "dtx_notify_bench_sender_", pool);
			senderProperties.put("dtx.notify.threads", settings.get("threads"));
			// the dispatcher is woken by each commit; the poll only finds what a wake-up missed
			senderProperties.put("dtx.notify.poll-interval", "1s");
			for (int i = 1; i <= Integer.parseInt(settings.get("endpoints")); i++) {
				senderProperties.put("dtx.notify.endpoints." + endpoint(i) + ".url",
						receiverUrl + "/dtx/notifications/" + SENDER);
				senderProperties.put("dtx.notify.endpoints." + endpoint(i) + ".secret", SECRET);
			}
			try (ConfigurableApplicationContext sender = start(SenderApplication.class, WebApplicationType.NONE,
					senderProperties)) {
				new NotificationBenchmark(settings, sender, receiver).run(receiverUrl);
			}
		}
		System.exit(0);
	}

	private static Map<String, Object> common(Map<String, String> settings, String tablePrefix, int pool) {
		Map<String, Object> properties = new LinkedHashMap<>();
		// a config name of its own, so that the demo's application.yml stays out
		properties.put("spring.config.name", "notification-benchmark");
		properties.put("spring.datasource.url", settings.get("url"));
		properties.put("spring.datasource.username", settings.get("username"));
		properties.put("spring.datasource.password", settings.get("password"));
		properties.put("spring.datasource.hikari.maximum-pool-size", pool);
		properties.put("spring.flyway.enabled", false);
		properties.put("dtx.schema.table-prefix", tablePrefix);
		properties.put("dtx.coordinator.enabled", false);
		properties.put("dtx.outbox.enabled", false);
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.org.flywaydb", "ERROR");
		return properties;
	}

	private static ConfigurableApplicationContext start(Class<?> application, WebApplicationType type,
			Map<String, Object> properties) {
		return new SpringApplicationBuilder(application).web(type)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties)
			.run();
	}

	private void run(String receiverUrl) throws Exception {
		int callers = Integer.parseInt(this.settings.get("callers"));
		int backlog = Integer.parseInt(this.settings.get("backlog"));
		int threads = Integer.parseInt(this.settings.get("threads"));
		int perEndpoint = this.sender.getEnvironment()
			.getProperty("dtx.notify.max-concurrency-per-endpoint", Integer.class, 4);
		System.out.printf(Locale.ROOT,
				"Notification benchmark: %s, sender and receiver in this JVM over local HTTP, %d callers, "
						+ "%d dispatch threads, %d per endpoint, %d CPUs, load average before %.2f%n",
				this.settings.get("url"), callers, threads, perEndpoint, Runtime.getRuntime().availableProcessors(),
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		prepare();
		PlainPosts plain = new PlainPosts(receiverUrl + "/plain-notifications");

		// warm-up: the JIT, the pools and the HTTP connections
		businessTransactions(Extra.NOTIFICATION, callers, Duration.ofSeconds(3));
		awaitDelivered();
		plain.post(2000, threads, this.endpoints);

		// each variant once per round, the rounds one after another: a ratio is taken within a
		// round, so that what else the machine does drifts out of it, and the median is printed
		int rounds = Integer.parseInt(this.settings.get("rounds"));
		int plainThreads = Math.min(threads, this.endpoints * perEndpoint);
		List<double[]> measured = new ArrayList<>();
		for (int round = 1; round <= rounds; round++) {
			System.out.println("round " + round + " of " + rounds);
			double[] values = new double[10];
			vacuum();
			values[0] = drain(backlog / rounds / 4, 1);
			values[1] = plain.post(backlog / rounds / 4, perEndpoint, 1);
			vacuum();
			values[2] = drain(backlog / rounds, this.endpoints);
			values[3] = plain.post(backlog / rounds, plainThreads, this.endpoints);
			vacuum();
			values[4] = businessTransactions(Extra.NONE, callers, duration());
			vacuum();
			values[5] = businessTransactions(Extra.NOTIFICATION, callers, duration());
			awaitDelivered();
			vacuum();
			this.dispatcher.stop();
			values[6] = businessTransactions(Extra.NOTIFICATION, callers, duration());
			this.dispatcher.start();
			this.dispatcher.wakeUp();
			awaitDelivered();
			vacuum();
			values[7] = businessTransactions(Extra.SELECT, callers, duration());
			measured.add(values);
		}
		check(plain.posted());

		System.out.println();
		System.out.printf("%-66s %12s%n", "measure (median of " + rounds + " rounds)", "value");
		System.out.printf(Locale.ROOT, "%-66s %12.0f%n", "dispatch, one endpoint (notifications/s)",
				median(measured, (v) -> v[0]));
		System.out.printf(Locale.ROOT, "%-66s %12.0f%n", "  plain POSTs, " + perEndpoint + " at a time (requests/s)",
				median(measured, (v) -> v[1]));
		System.out.printf(Locale.ROOT, "%-66s %12.2f%n", "  ratio dispatch / plain", median(measured, (v) -> v[0] / v[1]));
		System.out.printf(Locale.ROOT, "%-66s %12.0f%n", "dispatch, " + this.endpoints + " endpoints (notifications/s)",
				median(measured, (v) -> v[2]));
		System.out.printf(Locale.ROOT, "%-66s %12.0f%n", "  plain POSTs, " + plainThreads + " at a time (requests/s)",
				median(measured, (v) -> v[3]));
		System.out.printf(Locale.ROOT, "%-66s %12.2f%n", "  ratio dispatch / plain", median(measured, (v) -> v[2] / v[3]));
		System.out.printf(Locale.ROOT, "%-66s %12.0f%n", "business tx/s without notification (" + callers + " callers)",
				median(measured, (v) -> v[4]));
		System.out.printf(Locale.ROOT, "%-66s %12.0f%n", "business tx/s with one notification, dispatcher running",
				median(measured, (v) -> v[5]));
		System.out.printf(Locale.ROOT, "%-66s %12.2f%n", "ratio with / without", median(measured, (v) -> v[5] / v[4]));
		System.out.printf(Locale.ROOT, "%-66s %12.2f%n", "ratio with, dispatcher stopped / without",
				median(measured, (v) -> v[6] / v[4]));
		System.out.printf(Locale.ROOT, "%-66s %12.2f%n", "ratio with a 'select 1' instead / without",
				median(measured, (v) -> v[7] / v[4]));
		for (int round = 0; round < rounds; round++) {
			double[] v = measured.get(round);
			System.out.printf(Locale.ROOT,
					"round %d: dispatch/plain %.2f and %.2f; with/without %.2f, stopped %.2f, select 1 %.2f%n",
					round + 1, v[0] / v[1], v[2] / v[3], v[5] / v[4], v[6] / v[4], v[7] / v[4]);
		}
		System.out.printf(Locale.ROOT, "load average after: %.2f%n",
				ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		if (this.failures.isEmpty()) {
			System.out.println("ALL CHECKS PASSED: every notification written was delivered and applied once");
		}
		else {
			this.failures.forEach((failure) -> System.out.println("CHECK FAILED: " + failure));
		}
	}

	// what autovacuum does between the phases, done by hand: it may be off, and a drained
	// backlog leaves its dead rows in front of the next phase's
	private void vacuum() {
		this.jdbc.execute("vacuum analyze dtx_notify_bench_sender_notification, dtx_notify_bench_receiver_inbox,"
				+ " notify_bench_account, notify_bench_merchant");
	}

	private void prepare() {
		this.jdbc.execute("drop table if exists notify_bench_account, notify_bench_merchant");
		this.jdbc.execute("create table notify_bench_account (id int primary key, balance bigint not null)");
		this.jdbc.update("insert into notify_bench_account select i, 0 from generate_series(1, " + ACCOUNTS + ") i");
		this.jdbc.execute("create table notify_bench_merchant (id int primary key, notified bigint not null,"
				+ " posted bigint not null)");
		this.jdbc.update("insert into notify_bench_merchant select i, 0, 0 from generate_series(1, " + ACCOUNTS
				+ ") i");
		this.jdbc.update("delete from dtx_notify_bench_sender_notification");
		this.jdbc.update("delete from dtx_notify_bench_receiver_inbox");
	}

	/**
	 * Writes a backlog with the dispatcher stopped, then times the dispatcher draining it.
	 */
	private double drain(int backlog, int endpointCount) throws Exception {
		this.dispatcher.stop();
		System.out.println("writing a backlog of " + backlog + " notifications to " + endpointCount
				+ " endpoint(s), dispatcher stopped ...");
		ExecutorService writers = Executors.newFixedThreadPool(8);
		List<Future<?>> done = new ArrayList<>();
		int perTransaction = 100;
		for (int i = 0; i < backlog / perTransaction; i++) {
			done.add(writers.submit(() -> this.transaction.executeWithoutResult((status) -> {
				for (int j = 0; j < perTransaction; j++) {
					notify(ThreadLocalRandom.current().nextInt(endpointCount) + 1);
				}
			})));
		}
		for (Future<?> future : done) {
			future.get();
		}
		writers.shutdown();
		vacuum();
		System.out.println("draining it with one dispatcher ...");
		long start = System.nanoTime();
		this.dispatcher.start();
		this.dispatcher.wakeUp();
		awaitDelivered();
		return backlog / ((System.nanoTime() - start) / 1e9);
	}

	private void notify(int endpoint) {
		int merchant = ThreadLocalRandom.current().nextInt(ACCOUNTS) + 1;
		this.notifications.notify(endpoint(endpoint), TYPE, new Payment(merchant, 1));
		this.written.incrementAndGet();
	}

	// business transactions per second from the callers, each an UPDATE and the extra
	private double businessTransactions(Extra extra, int callers, Duration duration) throws Exception {
		return BusinessTransactions.perSecond(extra.description, callers, duration,
				() -> this.transaction.executeWithoutResult((status) -> {
					this.jdbc.update("update notify_bench_account set balance = balance + 1 where id = ?",
							ThreadLocalRandom.current().nextInt(ACCOUNTS) + 1);
					switch (extra) {
						case NOTIFICATION -> notify(ThreadLocalRandom.current().nextInt(this.endpoints) + 1);
						case SELECT -> this.jdbc.queryForObject("select 1", Integer.class);
						case NONE -> {
						}
					}
				}));
	}

	private void awaitDelivered() throws InterruptedException {
		Duration timeout = Duration.ofMinutes(5);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (count("state <> 'DELIVERED'") > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the notifications were not delivered within " + timeout);
			}
			Thread.sleep(5);
		}
	}

	private long count(String condition) {
		Long count = this.jdbc.queryForObject("select count(*) from dtx_notify_bench_sender_notification where "
				+ condition, Long.class);
		return (count != null) ? count : 0;
	}

	private void check(long posted) {
		long delivered = count("state = 'DELIVERED'");
		if (delivered != this.written.get()) {
			this.failures.add(this.written.get() + " notifications written, " + delivered + " delivered");
		}
		JdbcTemplate receiverJdbc = new JdbcTemplate(this.receiver.getBean(DataSource.class));
		Long inbox = receiverJdbc.queryForObject("select count(*) from dtx_notify_bench_receiver_inbox", Long.class);
		Long notified = receiverJdbc.queryForObject("select sum(notified) from notify_bench_merchant", Long.class);
		if (inbox == null || inbox != delivered || notified == null || notified != delivered) {
			this.failures.add(delivered + " delivered, " + inbox + " inbox entries, " + notified + " applied");
		}
		Long postedApplied = receiverJdbc.queryForObject("select sum(posted) from notify_bench_merchant", Long.class);
		if (postedApplied == null || postedApplied != posted) {
			this.failures.add(posted + " plain POSTs answered, " + postedApplied + " applied");
		}
	}

	private static double median(List<double[]> rounds, ToDoubleFunction<double[]> value) {
		double[] values = rounds.stream().mapToDouble(value).sorted().toArray();
		return values[values.length / 2];
	}

	private Duration duration() {
		return DurationStyle.detectAndParse(this.settings.get("duration"));
	}

	static String endpoint(int number) {
		return "merchant-" + number;
	}

	private static Map<String, String> settings(String[] args) {
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("url", "jdbc:postgresql://127.0.0.1:5432/dtx_bench");
		defaults.put("username", "postgres");
		defaults.put("password", "");
		defaults.put("callers", "16");
		defaults.put("backlog", "20000");
		defaults.put("endpoints", "16");
		defaults.put("threads", "16");
		defaults.put("duration", "5s");
		defaults.put("rounds", "3");
		return BusinessTransactions.settings(defaults, args);
	}

	/**
	 * The baseline of dispatch: POSTs of a notification's body to a plain controller, from
	 * a fixed number of threads, each answered after the same UPDATE committed.
	 */
	private static final class PlainPosts {

		private final HttpClient client = HttpClient.newHttpClient();

		private final URI url;

		private final AtomicLong posted = new AtomicLong();

		PlainPosts(String url) {
			this.url = URI.create(url);
		}

		double post(int count, int threads, int endpointCount) throws Exception {
			System.out.println("posting " + count + " plain requests, " + threads + " at a time ...");
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			long start = System.nanoTime();
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				int merchant = ThreadLocalRandom.current().nextInt(ACCOUNTS) + 1;
				String body = "{\"id\":\"plain-" + i + "\",\"type\":\"" + TYPE + "\",\"endpoint\":\""
						+ endpoint(ThreadLocalRandom.current().nextInt(endpointCount) + 1)
						+ "\",\"payload\":{\"merchant\":" + merchant + ",\"amount\":1}}";
				done.add(pool.submit(() -> {
					HttpResponse<Void> response = this.client.send(
							HttpRequest.newBuilder(this.url)
								.header("Content-Type", "application/json")
								.POST(HttpRequest.BodyPublishers.ofString(body))
								.build(),
							HttpResponse.BodyHandlers.discarding());
					if (response.statusCode() != 200) {
						throw new IllegalStateException("plain POST answered " + response.statusCode());
					}
					this.posted.incrementAndGet();
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
			double perSecond = count / ((System.nanoTime() - start) / 1e9);
			pool.shutdown();
			return perSecond;
		}

		long posted() {
			return this.posted.get();
		}

	}

	// what a business transaction does besides its UPDATE
	private enum Extra {

		NONE("nothing else"), NOTIFICATION("one notification"), SELECT("a 'select 1' (one more round trip)");

		private final String description;

		Extra(String description) {
			this.description = description;
		}

	}

	/**
	 * What the sender tells the receiver: a merchant was paid.
	 *
	 * @param merchant the merchant's row in the receiver's table
	 * @param amount how much
	 */
	record Payment(int merchant, int amount) {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SenderApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ReceiverApplication {

		@Bean
		PaymentReceiver paymentReceiver(JdbcTemplate jdbc) {
			return new PaymentReceiver(jdbc);
		}

	}

	/**
	 * The receiver's side: the handler dtx calls, and the plain controller of the baseline,
	 * each running the same UPDATE.
	 */
	@RestController
	static class PaymentReceiver {

		private final JdbcTemplate jdbc;

		PaymentReceiver(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@NotificationHandler(TYPE)
		public void paid(Payment payment) {
			this.jdbc.update("update notify_bench_merchant set notified = notified + ? where id = ?", 1,
					payment.merchant());
		}

		@PostMapping("/plain-notifications")
		@Transactional
		public void plain(@RequestBody PlainNotification notification) {
			this.jdbc.update("update notify_bench_merchant set posted = posted + ? where id = ?", 1,
					notification.payload().merchant());
		}

	}

	/**
	 * The body of a plain POST: what dtx posts, without the signature.
	 *
	 * @param id the notification's id
	 * @param type its type
	 * @param endpoint the endpoint it was for
	 * @param payload the payment
	 */
	record PlainNotification(String id, String type, String endpoint, Payment payload) {

	}

}
