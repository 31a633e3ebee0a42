package io.dtx.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.dtx.notify.NotificationTestApps.Merchant;
import io.dtx.notify.NotificationTestApps.MerchantApplication;
import io.dtx.notify.NotificationTestApps.Payment;
import io.dtx.notify.NotificationTestApps.PaymentApplication;
import io.dtx.notify.NotificationTestApps.RequestCounter;
import io.dtx.tcc.crash.CrashPoints;
import io.dtx.test.Callers;
import io.dtx.test.ChildJvm;
import io.dtx.test.DatabaseServer;
import io.dtx.test.HotRows;
import io.dtx.test.LocalCall;
import io.dtx.test.LocalCall.Heard;
import io.dtx.test.Ports;
import io.dtx.test.ServerOutage;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static io.dtx.notify.NotificationTestApps.SECRET;
import static io.dtx.notify.NotificationTestApps.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Notifications under faults, on the database server of the subclass: what a caller
 * hears matches what the database holds, and each notification committed is applied by
 * the merchant exactly once, none other. The payment service pays from one account row
 * and notifies in the same transaction; the merchant's handler adds each payment to one
 * total row. Proven here:
 * <ul>
 * <li>hot rows: 200 payments from 16 callers, every fifth rolled back after it notified,
 * while each committed notification is also posted twice more at once by hand: exactly
 * the committed ones are sent, each once, and the merchant's total is their sum;</li>
 * <li>a JVM halted (as {@code kill -9} ends it) at a named point, then restarted: the
 * sender after its claim committed and before its post, the sender after the 2xx and
 * before recording DELIVERED (posted again, a duplicate to the receiver), the receiver
 * after its commit and before its answer (the sender tries again);</li>
 * <li>the sender's database server stopped and started while callers pay, the merchant
 * on H2: a caller that heard its commit succeed is delivered once, one that heard an
 * error before its commit never, one whose commit itself failed either way, consistently
 * with the account; the receiver's server stopped while deliveries arrive, the sender on
 * H2: the sender keeps trying, and everything is applied once.</li>
 * </ul>
 * Outage tests stop a server: run under {@code flock -x /tmp/dtx-db.lock}, as
 * {@code *DatabaseFaultTests}.
 */
abstract class NotificationFaultContractTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	// a child JVM starts in 3 to 10 seconds on a loaded machine
	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	/** How long a server stays down. */
	private static final Duration OUTAGE = Duration.ofSeconds(3);

	/** The opening balance of the payer's account. */
	private static final long OPENING_BALANCE = 1_000_000;

	// tries every 200 ms for 30 s: across a JVM's restart or a server's, never exhausted
	private static final String SCHEDULE = String.join(",", Collections.nCopies(150, "200ms"));

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<ChildJvm> children = new ArrayList<>();

	private String testName;

	private String[] paymentsDatabase;

	private String[] merchantDatabase;

	private int merchantPort;

	/** The server the payment service and the merchant use, which outage tests stop. */
	abstract DatabaseServer server();

	@BeforeEach
	void createDatabases(TestInfo test) {
		this.testName = getClass().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName();
		this.paymentsDatabase = server().emptyDatabase("dtx_notify_faults_payments");
		this.merchantDatabase = server().emptyDatabase("dtx_notify_faults_merchant");
		this.merchantPort = Ports.free();
	}

	@AfterEach
	void stop() {
		try {
			this.children.forEach(ChildJvm::close);
			for (int i = this.contexts.size() - 1; i >= 0; i--) {
				this.contexts.get(i).close();
			}
		}
		finally {
			// a test that failed half-way through an outage never leaves the server down
			ServerOutage.endAll();
		}
	}

	// hot rows

	@Test
	void hotRowPaymentsAreNotifiedExactlyWhenCommittedAndAppliedOnceThroughDuplicates() throws Exception {
		ConfigurableApplicationContext merchant = startMerchant(this.merchantDatabase);
		// no dispatcher dies here: a long read timeout, so that no post is cut short and sent again
		ConfigurableApplicationContext payments = startPayments(this.paymentsDatabase, "dtx.notify.read-timeout=10s",
				"dtx.notify.lease=30s");
		Payer payer = new Payer(payments);
		List<Future<Integer>> duplicates = new CopyOnWriteArrayList<>();
		ExecutorService posters = Executors.newFixedThreadPool(8);
		List<PaymentCall> calls;
		try (Callers<PaymentCall> callers = Callers.start(HotRows.CALLERS, HotRows.ORDERS, PaymentCall::new,
				(call) -> {
					payer.pay(call);
					// racing the dispatcher's post of it, and each other
					for (int i = 0; i < 2; i++) {
						duplicates.add(posters.submit(() -> postByHand(call)));
					}
				})) {
			await().atMost(TIMEOUT).until(() -> callers.completed() == HotRows.ORDERS);
			calls = callers.finish(TIMEOUT);
		}
		finally {
			posters.shutdown();
		}
		assertThat(posters.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		List<String> problems = new ArrayList<>();
		for (PaymentCall call : calls) {
			Heard expected = call.failsOnPurpose ? Heard.REFUSED : Heard.RETURNED;
			if (call.heard() != expected) {
				problems.add(call + ": its caller heard " + call.heardDescription() + ", not " + expected);
			}
		}
		List<Integer> answers = new ArrayList<>();
		for (Future<Integer> duplicate : duplicates) {
			answers.add(duplicate.get());
		}
		assertThat(answers).as("answers to the duplicates posted by hand")
			.hasSize(2 * (int) calls.stream().filter((call) -> !call.failsOnPurpose).count())
			.containsOnly(200);
		// counted once the dispatcher is done: the duplicates may have been applied before its post
		awaitEveryNotificationDelivered(payer, problems);
		RequestCounter counter = merchant.getBean(RequestCounter.class);
		calls.stream()
			.filter((call) -> counter.requests(call.id) != (call.failsOnPurpose ? 0 : 1))
			.forEach((call) -> problems.add(call + ": the dispatcher posted it " + counter.requests(call.id) + " times"));
		judge("hot rows", calls, payer, merchant.getBean(Merchant.class), problems);
	}

	// JVMs halted at a named point

	@Test
	void senderKilledAfterItsClaimCommittedDeliversOnceAfterARestart() {
		// the writer migrates the schema, the child starts meanwhile and finds the notification once written
		ConfigurableApplicationContext writer = startPayments(this.paymentsDatabase,
				"dtx.notify.dispatcher-enabled=false");
		ChildJvm sender = startChild(NotificationCrashMain.SENDER_AFTER_CLAIM, senderProperties(this.paymentsDatabase));
		ConfigurableApplicationContext merchant = startMerchant(this.merchantDatabase);
		notify(writer, "pay-1", 30);
		awaitCrash(sender, NotificationCrashMain.SENDER_AFTER_CLAIM);
		assertThat(row(writer, "pay-1")).as("claimed, never attempted")
			.containsEntry("state", "PENDING")
			.containsEntry("attempts", 0)
			.extractingByKey("claim")
			.isNotNull();
		assertThat(merchant.getBean(RequestCounter.class).requests("pay-1")).as("never posted").isZero();

		// sent again once the dead dispatcher's lease ends
		startPayments(this.paymentsDatabase);
		awaitDelivered(writer, "pay-1");
		assertThat(merchant.getBean(RequestCounter.class).requests("pay-1")).isEqualTo(1);
		assertAppliedOnce(merchant.getBean(Merchant.class), "pay-1", 30);
		assertThat(row(writer, "pay-1")).containsEntry("attempts", 1);
	}

	@Test
	void senderKilledAfterThe2xxBeforeRecordingItPostsAgainAndIsAppliedOnce() {
		// as above; the merchant is up before the notification is written, so the first post is answered
		ConfigurableApplicationContext writer = startPayments(this.paymentsDatabase,
				"dtx.notify.dispatcher-enabled=false");
		ChildJvm sender = startChild(NotificationCrashMain.SENDER_AFTER_ANSWER, senderProperties(this.paymentsDatabase));
		ConfigurableApplicationContext merchant = startMerchant(this.merchantDatabase);
		notify(writer, "pay-1", 30);
		awaitCrash(sender, NotificationCrashMain.SENDER_AFTER_ANSWER);
		Map<String, Object> crashed = row(writer, "pay-1");
		assertThat(crashed).as("answered 2xx, never recorded")
			.containsEntry("state", "PENDING")
			.extractingByKey("claim")
			.isNotNull();
		RequestCounter counter = merchant.getBean(RequestCounter.class);
		// one, unless a slow answer cut an attempt short before it: the failed attempts counted
		int requests = counter.requests("pay-1");
		assertThat(requests).isEqualTo((int) crashed.get("attempts") + 1);
		assertAppliedOnce(merchant.getBean(Merchant.class), "pay-1", 30);

		startPayments(this.paymentsDatabase);
		awaitDelivered(writer, "pay-1");
		assertThat(counter.requests("pay-1")).as("posted again: a duplicate").isEqualTo(requests + 1);
		assertAppliedOnce(merchant.getBean(Merchant.class), "pay-1", 30);
		assertThat(row(writer, "pay-1")).containsEntry("attempts", requests);
	}

	@Test
	void receiverKilledAfterItsCommitBeforeItsAnswerIsTriedAgainAndAppliesOnce() {
		ChildJvm receiver = startChild(NotificationCrashMain.RECEIVER_AFTER_COMMIT,
				merchantProperties(this.merchantDatabase));
		ConfigurableApplicationContext payments = startPayments(this.paymentsDatabase);
		receiver.awaitOutput(NotificationCrashMain.STARTED, START_TIMEOUT);
		notify(payments, "pay-1", 30);
		awaitCrash(receiver, NotificationCrashMain.RECEIVER_AFTER_COMMIT);
		// what the dead receiver committed
		Merchant committed = new Merchant(new JdbcTemplate(new DriverManagerDataSource(this.merchantDatabase[0],
				this.merchantDatabase[1], this.merchantDatabase[2])));
		assertAppliedOnce(committed, "pay-1", 30);
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(row(payments, "pay-1"))
			.as("its attempt failed: no answer came")
			.containsEntry("state", "PENDING")
			.extractingByKey("attempts", InstanceOfAssertFactories.INTEGER)
			.isPositive());

		ConfigurableApplicationContext merchant = startMerchant(this.merchantDatabase);
		awaitDelivered(payments, "pay-1");
		assertThat(merchant.getBean(RequestCounter.class).requests("pay-1")).as("tried again").isPositive();
		assertAppliedOnce(merchant.getBean(Merchant.class), "pay-1", 30);
	}

	// database servers stopped

	@Test
	@Tag(ServerOutage.TAG)
	void sendersDatabaseStoppedWhileCallersPayDeliversWhatCommittedOnceAndNothingElse() throws Exception {
		ConfigurableApplicationContext merchant = startMerchant(h2());
		Payer payer = new Payer(startPayments(this.paymentsDatabase));
		List<PaymentCall> calls;
		try (Callers<PaymentCall> callers = Callers.start(8, Integer.MAX_VALUE, PaymentCall::new, payer::pay)) {
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
		judge("the sender's database stopped", calls, payer, merchant.getBean(Merchant.class), problems);
	}

	@Test
	@Tag(ServerOutage.TAG)
	void receiversDatabaseStoppedWhileDeliveriesArriveIsTriedUntilEverythingIsAppliedOnce() throws Exception {
		ConfigurableApplicationContext merchant = startMerchant(this.merchantDatabase);
		ConfigurableApplicationContext payments = startPayments(h2());
		Payer payer = new Payer(payments);
		List<PaymentCall> calls = new ArrayList<>();
		// on their way to the merchant as its server stops
		calls.addAll(pay(payer, 0, 100));
		try (ServerOutage outage = ServerOutage.begin(server())) {
			calls.addAll(pay(payer, 100, 50));
			outage.holdFor(OUTAGE);
		}
		calls.addAll(pay(payer, 150, 50));
		List<String> problems = new ArrayList<>();
		calls.stream()
			.filter((call) -> call.heard() != (call.failsOnPurpose ? Heard.REFUSED : Heard.RETURNED))
			.forEach((call) -> problems.add(call + ": its caller heard " + call.heardDescription()));
		judge("the receiver's database stopped", calls, payer, merchant.getBean(Merchant.class), problems);
		assertThat(payer.jdbc.queryForObject("select count(*) from dtx_notification where attempts > 1",
				Integer.class))
			.as("notifications tried again after the merchant failed them")
			.isPositive();
	}

	// the scenarios' steps

	private static List<PaymentCall> pay(Payer payer, int from, int count) throws InterruptedException {
		try (Callers<PaymentCall> callers = Callers.start(8, count, (n) -> new PaymentCall(from + n), payer::pay)) {
			await().atMost(TIMEOUT).until(() -> callers.completed() == count);
			return callers.finish(TIMEOUT);
		}
	}


	private void awaitCrash(ChildJvm child, String point) {
		child.awaitOutput(CrashPoints.reached(point), START_TIMEOUT);
		// halted: this returns once it is dead
		child.kill();
	}

	private ChildJvm startChild(String point, String[] properties) {
		List<String> arguments = new ArrayList<>(Arrays.stream(properties).map((property) -> "--" + property).toList());
		arguments.add("--spring.main.keep-alive=true");
		ChildJvm child = ChildJvm.start(this.testName + "-" + point, List.of("-Ddtx.crash.point=" + point),
				NotificationCrashMain.class, arguments);
		this.children.add(child);
		return child;
	}

	private static void notify(ConfigurableApplicationContext payments, String id, long amount) {
		transaction(payments).executeWithoutResult((status) -> payments.getBean(Notifications.class)
			.notify(id, "merchant", TYPE, new Payment(id, amount)));
	}

	// as the dispatcher posts it, but not by it: the request counter leaves it out
	private int postByHand(PaymentCall call) {
		byte[] body = NotificationTestApps.body(call.id, TYPE, call.id, call.amount);
		return NotificationTestApps.post(this.merchantPort, "payments", body,
				NotificationSignature.sign(SECRET, Instant.now(), body));
	}

	// the checks

	/**
	 * Once every notification is delivered: each call's notification written and applied
	 * once exactly as what its caller heard allows, and the account and the merchant's
	 * total holding the sum of the notifications written, no more, no less.
	 */
	private void judge(String title, List<PaymentCall> calls, Payer payer, Merchant merchant,
			List<String> problems) {
		awaitEveryNotificationDelivered(payer, problems);
		Set<String> written = new HashSet<>(payer.jdbc.queryForList("select id from dtx_notification", String.class));
		Map<String, Integer> applied = new HashMap<>();
		merchant.jdbc.query("select notification_id, count(*) from merchant_payment group by notification_id",
				(RowCallbackHandler) (row) -> applied.put(row.getString(1), row.getInt(2)));
		Map<String, Integer> outcomes = new TreeMap<>();
		long writtenAmount = 0;
		for (PaymentCall call : calls) {
			boolean present = written.remove(call.id);
			int times = applied.getOrDefault(call.id, 0);
			String wrong = switch (call.heard()) {
				case RETURNED -> present ? null : "its caller heard committed, no notification was written";
				case REFUSED, ERROR_BEFORE_COMMIT -> present ? "its caller heard " + call.heardDescription()
						+ ", its notification was written" : null;
				case ERROR_AT_COMMIT -> null;
			};
			if (wrong == null && times != (present ? 1 : 0)) {
				wrong = (present ? "written" : "never written") + ", applied " + times + " times";
			}
			if (wrong != null) {
				problems.add(call + ": " + wrong);
			}
			if (present) {
				writtenAmount += call.amount;
			}
			String outcome = "caller heard " + call.heard() + " | " + (present ? "written" : "not written")
					+ " | applied " + times;
			outcomes.merge((wrong != null) ? outcome + "   <-- WRONG" : outcome, 1, Integer::sum);
		}
		written.forEach((id) -> problems.add(id + " written by no call"));
		long balance = payer.jdbc.queryForObject("select balance from payer where id = 1", Long.class);
		if (balance != OPENING_BALANCE - writtenAmount) {
			problems.add("the balance is " + balance + ", the notifications written make it "
					+ (OPENING_BALANCE - writtenAmount));
		}
		if (merchant.total() != writtenAmount) {
			problems.add("the merchant's total is " + merchant.total() + ", the notifications written make it "
					+ writtenAmount);
		}
		StringBuilder report = new StringBuilder(title).append(" on ").append(server()).append(": ")
			.append(calls.size()).append(" calls, ").append(problems.size()).append(" problem(s)\n");
		outcomes.forEach((outcome, count) -> report.append(String.format("%6d  %s%n", count, outcome)));
		problems.stream().limit(20).forEach((problem) -> report.append("  - ").append(problem).append('\n'));
		System.out.println(report);
		assertThat(problems).as(report.toString()).isEmpty();
	}

	// a condition not met is a problem among the others, so that the verdict still comes
	private static void awaitEveryNotificationDelivered(Payer payer, List<String> problems) {
		try {
			await().atMost(TIMEOUT)
				.until(() -> payer.jdbc.queryForObject(
						"select count(*) from dtx_notification where state <> 'DELIVERED'", Integer.class) == 0);
		}
		catch (ConditionTimeoutException ex) {
			problems.add("not every notification delivered within " + TIMEOUT + ": "
					+ payer.jdbc.queryForList("select state, count(*) from dtx_notification group by state"));
		}
	}

	private static void assertAppliedOnce(Merchant merchant, String id, long amount) {
		assertThat(merchant.applied(id)).as("applications of " + id).isEqualTo(1);
		assertThat(merchant.total()).isEqualTo(amount);
	}

	private static void awaitDelivered(ConfigurableApplicationContext payments, String id) {
		await().atMost(TIMEOUT).until(() -> "DELIVERED".equals(row(payments, id).get("state")));
	}

	private static Map<String, Object> row(ConfigurableApplicationContext payments, String id) {
		Map<String, Object> row = jdbc(payments)
			.queryForMap("select state, attempts, claim from dtx_notification where id = ?", id);
		row.put("attempts", ((Number) row.get("attempts")).intValue());
		return row;
	}

	// the applications

	private ConfigurableApplicationContext startMerchant(String[] database) {
		return start(MerchantApplication.class, merchantProperties(database));
	}

	private ConfigurableApplicationContext startPayments(String[] database, String... properties) {
		return start(PaymentApplication.class,
				Stream.concat(Arrays.stream(senderProperties(database)), Arrays.stream(properties))
					.toArray(String[]::new));
	}

	private ConfigurableApplicationContext start(Class<?> application, String[] properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application).properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	private String[] merchantProperties(String[] database) {
		return Stream.concat(Arrays.stream(common("merchant", database)),
				Stream.of("server.port=" + this.merchantPort, "dtx.notify.dispatcher-enabled=false",
						"dtx.notify.receiver.secrets.payments=" + SECRET))
			.toArray(String[]::new);
	}

	// an attempt ends within 1.5 s, so a dead dispatcher's claim ends after 3 s; an answer on
	// localhost comes well within 1.3 s, a refused connection at once
	private String[] senderProperties(String[] database) {
		return Stream.concat(Arrays.stream(common("payments", database)), Stream.of(
				"spring.main.web-application-type=none", "dtx.notify.poll-interval=50ms",
				"dtx.notify.schedule=" + SCHEDULE, "dtx.notify.connect-timeout=200ms", "dtx.notify.read-timeout=1300ms",
				"dtx.notify.lease=3s",
				"dtx.notify.endpoints.merchant.url=http://localhost:" + this.merchantPort + "/dtx/notifications/payments",
				"dtx.notify.endpoints.merchant.secret=" + SECRET))
			.toArray(String[]::new);
	}

	private static String[] common(String name, String[] database) {
		return new String[] { "spring.application.name=" + name, "spring.main.banner-mode=off",
				"spring.flyway.enabled=false", "spring.datasource.url=" + database[0],
				"spring.datasource.username=" + database[1], "spring.datasource.password=" + database[2],
				// enough for every caller and the dispatcher at once; a caller that asks while the
				// server is down hears so in 2 s, and the pool serves again once it answers
				"spring.datasource.hikari.maximum-pool-size=24", "spring.datasource.hikari.connection-timeout=2000",
				"spring.datasource.hikari.validation-timeout=1000", "dtx.coordinator.enabled=false",
				"dtx.outbox.enabled=false" };
	}

	private static String[] h2() {
		return new String[] { "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "" };
	}

	private static TransactionTemplate transaction(ConfigurableApplicationContext context) {
		return new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
	}

	private static JdbcTemplate jdbc(ConfigurableApplicationContext context) {
		return new JdbcTemplate(context.getBean(DataSource.class));
	}

	/**
	 * The payment service's callers' work: pay from the one account row and notify the
	 * merchant, in one transaction; one payment in five refused after it notified.
	 */
	private static final class Payer {

		private final JdbcTemplate jdbc;

		private final TransactionTemplate transaction;

		private final Notifications notifications;

		Payer(ConfigurableApplicationContext payments) {
			this.jdbc = jdbc(payments);
			this.transaction = transaction(payments);
			this.notifications = payments.getBean(Notifications.class);
			this.jdbc.execute("create table payer (id int not null primary key, balance bigint not null)");
			this.jdbc.update("insert into payer (id, balance) values (1, ?)", OPENING_BALANCE);
		}

		void pay(PaymentCall call) {
			this.transaction.executeWithoutResult((status) -> {
				this.jdbc.update("update payer set balance = balance - ? where id = 1", call.amount);
				this.notifications.notify(call.id, "merchant", TYPE, new Payment(call.id, call.amount));
				call.statementsRan();
			});
		}

	}

	/**
	 * One payment: its notification's id and amount, and what its caller heard.
	 */
	static final class PaymentCall extends LocalCall {

		final String id;

		final long amount;

		PaymentCall(int number) {
			super(number);
			this.id = "pay-" + number;
			this.amount = HotRows.amount(number);
		}

		@Override
		public String toString() {
			return this.id;
		}

	}

}
