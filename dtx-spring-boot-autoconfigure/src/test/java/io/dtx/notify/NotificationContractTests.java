package io.dtx.notify;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import io.dtx.jdbc.DtxTables;
import io.dtx.notify.NotificationTestApps.Merchant;
import io.dtx.notify.NotificationTestApps.MerchantApplication;
import io.dtx.notify.NotificationTestApps.Payment;
import io.dtx.notify.NotificationTestApps.PaymentApplication;
import io.dtx.notify.NotificationTestApps.RequestCounter;
import io.dtx.notify.NotificationTestApps.SlowEndpoint;
import io.dtx.test.Ports;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

import static io.dtx.notify.NotificationTestApps.SECRET;
import static io.dtx.notify.NotificationTestApps.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Notifications between two Spring Boot applications over real HTTP, each on the
 * database of the subclass: the payment service notifies, the merchant receives. What
 * rolls back is never sent; what fails is tried again on its schedule, then exhausted and
 * retried through the API; forged, stale and unsigned requests run nothing; a duplicate is
 * applied once; two dispatchers on one table send each notification once and never at the
 * same time; and a slow endpoint does not hold back another.
 */
abstract class NotificationContractTests {

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private String[] database;

	private int merchantPort;

	private ConfigurableApplicationContext merchant;

	/** JDBC URL, user and password of an empty database. */
	abstract String[] emptyDatabase();

	@BeforeEach
	void createDatabase() {
		this.database = emptyDatabase();
		this.merchantPort = Ports.free();
	}

	@AfterEach
	void stop() {
		if (this.merchant != null) {
			// the slow endpoint's requests end, so neither side waits for them to close
			this.merchant.getBean(SlowEndpoint.class).release.countDown();
		}
		for (int i = this.contexts.size() - 1; i >= 0; i--) {
			this.contexts.get(i).close();
		}
	}

	private String[] common(String name) {
		return new String[] { "spring.application.name=" + name, "spring.main.banner-mode=off",
				"spring.flyway.enabled=false", "spring.datasource.url=" + this.database[0],
				"spring.datasource.username=" + this.database[1], "spring.datasource.password=" + this.database[2],
				"dtx.coordinator.enabled=false", "dtx.outbox.enabled=false" };
	}

	private ConfigurableApplicationContext startMerchant(String... properties) {
		this.merchant = new SpringApplicationBuilder(MerchantApplication.class).properties(common("merchant"))
			.properties("server.port=" + this.merchantPort, "dtx.notify.dispatcher-enabled=false",
					"dtx.notify.receiver.secrets.payments=" + SECRET)
			.properties(properties)
			.run();
		this.contexts.add(this.merchant);
		return this.merchant;
	}

	private ConfigurableApplicationContext startPayments(String... properties) {
		String merchantUrl = "http://localhost:" + this.merchantPort;
		ConfigurableApplicationContext payments = new SpringApplicationBuilder(PaymentApplication.class)
			.properties(common("payments"))
			.properties("spring.main.web-application-type=none", "dtx.notify.poll-interval=50ms",
					"dtx.notify.schedule=100ms,100ms,200ms",
					"dtx.notify.endpoints.merchant.url=" + merchantUrl + "/dtx/notifications/payments",
					"dtx.notify.endpoints.merchant.secret=" + SECRET,
					"dtx.notify.endpoints.slow.url=" + merchantUrl + "/slow",
					"dtx.notify.endpoints.slow.secret=" + SECRET,
					"dtx.notify.endpoints.dead.url=http://localhost:" + Ports.free() + "/gone",
					"dtx.notify.endpoints.dead.secret=" + SECRET)
			.properties(properties)
			.run();
		this.contexts.add(payments);
		return payments;
	}

	@Test
	void rolledBackNotificationIsNeverSent() {
		startMerchant();
		ConfigurableApplicationContext payments = startPayments();
		Notifications notifications = payments.getBean(Notifications.class);
		String rolledBack = transaction(payments).execute((status) -> {
			String id = notifications.notify("merchant", TYPE, new Payment("o-1", 100));
			status.setRollbackOnly();
			return id;
		});
		String committed = transaction(payments)
			.execute((status) -> notifications.notify("merchant", TYPE, new Payment("o-2", 200)));
		await().atMost(TIMEOUT).until(() -> merchant().applied(committed) == 1);
		// dispatched in due order: the rolled-back one would have gone first
		assertThat(counter().requests(rolledBack)).isZero();
		assertThat(merchant().applied(rolledBack)).isZero();
		assertThat(jdbc(payments).queryForList("select id from dtx_notification", String.class))
			.containsExactly(committed);
		NotificationContext context = merchant().contexts.get(committed);
		assertThat(context.type()).isEqualTo(TYPE);
		assertThat(context.sender()).isEqualTo("payments");
		assertThat(jdbc(this.merchant).queryForObject("select amount from merchant_payment", Long.class))
			.isEqualTo(200);
	}

	@Test
	void notifyingTwiceUnderOneIdWritesOneNotification() {
		startMerchant();
		ConfigurableApplicationContext payments = startPayments();
		Notifications notifications = payments.getBean(Notifications.class);
		Boolean first = transaction(payments)
			.execute((status) -> notifications.notify("pay-1", "merchant", TYPE, new Payment("o-1", 100)));
		Boolean second = transaction(payments)
			.execute((status) -> notifications.notify("pay-1", "merchant", TYPE, new Payment("o-1", 999)));
		assertThat(first).isTrue();
		assertThat(second).isFalse();
		await().atMost(TIMEOUT).until(() -> merchant().applied("pay-1") == 1);
		assertThat(jdbc(this.merchant).queryForObject("select amount from merchant_payment", Long.class))
			.isEqualTo(100);
		assertThat(counter().requests("pay-1")).isEqualTo(1);
	}

	@Test
	void receiverDownThenUpGetsTheNotificationOnce() {
		// a few quick attempts while it is down, then one a second for as long as it may take to start
		String schedule = String.join(",", Collections.nCopies(5, "200ms")) + ","
				+ String.join(",", Collections.nCopies(60, "1s"));
		ConfigurableApplicationContext payments = startPayments("dtx.notify.schedule=" + schedule);
		String id = transaction(payments).execute((status) -> payments.getBean(Notifications.class)
			.notify("merchant", TYPE, new Payment("o-1", 100)));
		await().atMost(TIMEOUT).until(() -> attempts(payments, id) >= 2);
		assertThat(state(payments, id)).isEqualTo("PENDING");
		assertThat(lastError(payments, id)).as("refused, not answered").isNotEmpty().doesNotStartWith("HTTP");
		startMerchant();
		await().atMost(TIMEOUT).until(() -> "DELIVERED".equals(state(payments, id)));
		assertThat(merchant().applied(id)).isEqualTo(1);
		assertThat(counter().requests(id)).isEqualTo(1);
	}

	@Test
	void receiverAnswering500IsTriedAgainOnTheScheduleThenDelivered() {
		startMerchant();
		merchant().failuresLeft.set(2);
		ConfigurableApplicationContext payments = startPayments();
		String id = transaction(payments).execute((status) -> payments.getBean(Notifications.class)
			.notify("merchant", TYPE, new Payment("o-1", 100)));
		await().atMost(TIMEOUT).until(() -> "DELIVERED".equals(state(payments, id)));
		assertThat(attempts(payments, id)).as("two failed, the third delivered").isEqualTo(3);
		assertThat(counter().requests(id)).isEqualTo(3);
		assertThat(merchant().applied(id)).as("the failed attempts rolled back").isEqualTo(1);
	}

	@Test
	void exhaustedNotificationIsListedAndDeliveredWhenRetried() {
		startMerchant();
		merchant().failuresLeft.set(1000);
		ConfigurableApplicationContext payments = startPayments();
		Notifications notifications = payments.getBean(Notifications.class);
		String id = transaction(payments)
			.execute((status) -> notifications.notify("merchant", TYPE, new Payment("o-1", 100)));
		await().atMost(TIMEOUT).until(() -> !notifications.exhausted(10).isEmpty());
		ExhaustedNotification exhausted = notifications.exhausted(10).get(0);
		assertThat(exhausted.id()).isEqualTo(id);
		assertThat(exhausted.endpoint()).isEqualTo("merchant");
		assertThat(exhausted.type()).isEqualTo(TYPE);
		assertThat(exhausted.attempts()).as("the first attempt and one per delay of the schedule").isEqualTo(4);
		assertThat(exhausted.lastError()).startsWith("HTTP 500");
		assertThat(counter().requests(id)).isEqualTo(4);
		assertThat(merchant().applied(id)).isZero();

		merchant().failuresLeft.set(0);
		assertThat(notifications.retry("no-such-id")).isFalse();
		assertThat(notifications.retry(id)).isTrue();
		await().atMost(TIMEOUT).until(() -> "DELIVERED".equals(state(payments, id)));
		assertThat(notifications.exhausted(10)).isEmpty();
		assertThat(attempts(payments, id)).as("counted from the retry").isEqualTo(1);
		assertThat(merchant().applied(id)).isEqualTo(1);
		assertThat(notifications.retry(id)).as("only an exhausted one").isFalse();
	}

	@Test
	void forgedStaleUnsignedAndUnknownRequestsRunNothing() {
		startMerchant();
		byte[] body = body("n-1", TYPE);
		Instant now = Instant.now();
		assertThat(post("payments", body, null)).isEqualTo(401);
		assertThat(post("payments", body, NotificationSignature.sign("guessed-secret", now, body))).isEqualTo(401);
		assertThat(post("payments", body, NotificationSignature.sign(SECRET, now.minusSeconds(600), body)))
			.as("stale")
			.isEqualTo(401);
		assertThat(post("payments", body, NotificationSignature.sign(SECRET, now.plusSeconds(600), body)))
			.as("from the future")
			.isEqualTo(401);
		assertThat(post("payments", body, "t=" + now.getEpochSecond() + ",v1=00")).isEqualTo(401);
		assertThat(post("someone-else", body, NotificationSignature.sign(SECRET, now, body)))
			.as("a sender without a secret here")
			.isEqualTo(401);
		byte[] tampered = body("n-1", TYPE, 1_000_000);
		assertThat(post("payments", tampered, NotificationSignature.sign(SECRET, now, body))).isEqualTo(401);
		byte[] unknownType = body("n-2", "REFUND_SUCCEEDED");
		assertThat(post("payments", unknownType, NotificationSignature.sign(SECRET, now, unknownType)))
			.as("a type without a handler")
			.isEqualTo(422);
		byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
		assertThat(post("payments", notJson, NotificationSignature.sign(SECRET, now, notJson))).isEqualTo(400);
		assertThat(merchant().appliedTotal()).as("nothing ran").isZero();
		assertThat(inboxEntries()).isZero();

		assertThat(post("payments", body, NotificationSignature.sign(SECRET, now, body))).isEqualTo(200);
		assertThat(merchant().applied("n-1")).isEqualTo(1);
	}

	@Test
	void notificationDeliveredTwiceIsAppliedOnce() {
		startMerchant();
		ConfigurableApplicationContext payments = startPayments();
		String id = transaction(payments).execute((status) -> payments.getBean(Notifications.class)
			.notify("merchant", TYPE, new Payment("o-1", 100)));
		await().atMost(TIMEOUT).until(() -> "DELIVERED".equals(state(payments, id)));
		// as if the dispatcher had died after the send, before recording it: due again
		jdbc(payments).update("update dtx_notification set state = 'PENDING', next_attempt_at = ? where id = ?",
				java.sql.Timestamp.from(Instant.now()), id);
		payments.getBean(NotificationDispatcher.class).wakeUp();
		await().atMost(TIMEOUT).until(() -> counter().requests(id) == 2 && "DELIVERED".equals(state(payments, id)));
		assertThat(merchant().applied(id)).isEqualTo(1);
		// and a request replayed by hand is answered 200 and changes nothing either
		byte[] body = body(id, TYPE);
		assertThat(post("payments", body, NotificationSignature.sign(SECRET, Instant.now(), body))).isEqualTo(200);
		assertThat(merchant().applied(id)).isEqualTo(1);
		assertThat(inboxEntries()).isEqualTo(1);
	}

	@Test
	void twoDispatchersOnOneTableSendEachNotificationOnceAndNeverAtOnce() {
		startMerchant();
		String url = "dtx.notify.endpoints.merchant.url=http://localhost:" + this.merchantPort
				+ "/dtx/notifications/payments?via=";
		ConfigurableApplicationContext first = startPayments("dtx.notify.poll-interval=20ms", url + "first");
		ConfigurableApplicationContext second = startPayments("dtx.notify.poll-interval=20ms", url + "second");
		int count = 200;
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i += 10) {
			ConfigurableApplicationContext writer = (i % 20 == 0) ? first : second;
			int batch = i;
			transaction(writer).executeWithoutResult((status) -> {
				for (int j = batch; j < batch + 10; j++) {
					ids.add(writer.getBean(Notifications.class).notify("merchant", TYPE, new Payment("o-" + j, j)));
				}
			});
		}
		await().atMost(TIMEOUT).until(() -> merchant().appliedTotal() == count);
		await().atMost(TIMEOUT)
			.until(() -> jdbc(first).queryForObject("select count(*) from dtx_notification where state = 'DELIVERED'",
					Integer.class) == count);
		assertThat(ids).allSatisfy((id) -> {
			assertThat(counter().requests(id)).as("requests for " + id).isEqualTo(1);
			assertThat(merchant().applied(id)).isEqualTo(1);
		});
		assertThat(counter().mostAtOnceForOneId.get()).isEqualTo(1);
		assertThat(counter().requests).hasSize(count);
		assertThat(counter().dispatchers).as("both dispatchers sent").containsOnlyKeys("first", "second");
	}

	@Test
	void anEndpointsBacklogIsSentAtMostMaxConcurrencyAtOnceEachNotificationOnce() {
		startMerchant();
		ConfigurableApplicationContext payments = startPayments("dtx.notify.threads=8",
				"dtx.notify.max-concurrency-per-endpoint=2");
		// more than two sending threads send in a row: the pass takes up the rest again
		int count = 4 * NotificationDispatcher.MAX_IN_A_ROW;
		List<String> ids = new ArrayList<>();
		transaction(payments).executeWithoutResult((status) -> {
			for (int i = 0; i < count; i++) {
				ids.add(payments.getBean(Notifications.class).notify("merchant", TYPE, new Payment("o-" + i, i)));
			}
		});
		await().atMost(TIMEOUT).until(() -> merchant().appliedTotal() == count);
		await().atMost(TIMEOUT)
			.until(() -> jdbc(payments).queryForObject(
					"select count(*) from dtx_notification where state = 'DELIVERED'", Integer.class) == count);
		assertThat(ids).allSatisfy((id) -> assertThat(counter().requests(id)).as("requests for " + id).isOne());
		assertThat(counter().mostAtOnce.get()).as("at most max-concurrency-per-endpoint at once").isEqualTo(2);
	}

	@Test
	void slowAndDeadEndpointsDoNotHoldBackAnother() {
		startMerchant();
		ConfigurableApplicationContext payments = startPayments("dtx.notify.threads=4",
				"dtx.notify.max-concurrency-per-endpoint=2", "dtx.notify.endpoints.slow.read-timeout=20s",
				"dtx.notify.lease=1m");
		Notifications notifications = payments.getBean(Notifications.class);
		transaction(payments).executeWithoutResult((status) -> {
			for (int i = 0; i < 20; i++) {
				notifications.notify("slow", TYPE, new Payment("slow-" + i, i));
				notifications.notify("dead", TYPE, new Payment("dead-" + i, i));
			}
		});
		SlowEndpoint slow = this.merchant.getBean(SlowEndpoint.class);
		await().atMost(TIMEOUT).until(() -> slow.held.get() == 2);
		String id = transaction(payments)
			.execute((status) -> notifications.notify("merchant", TYPE, new Payment("o-1", 100)));
		// the slow endpoint holds two sending threads of four until the test ends
		await().atMost(Duration.ofSeconds(5)).until(() -> merchant().applied(id) == 1);
		assertThat(slow.mostHeld.get()).as("at most max-concurrency-per-endpoint at the slow endpoint").isEqualTo(2);
		assertThat(jdbc(payments).queryForObject(
				"select count(*) from dtx_notification where endpoint = 'dead' and attempts > 0", Integer.class))
			.as("the dead endpoint was tried meanwhile")
			.isPositive();
	}

	@Test
	void reconciliationAppliesWhatTheReceiverNeverGotOnce() {
		int paymentsPort = Ports.free();
		startMerchant("dtx.notify.reconcile.enabled=true", "dtx.notify.reconcile.page-size=2",
				"dtx.notify.reconcile.senders.payments.url=http://localhost:" + paymentsPort + "/dtx",
				"dtx.notify.reconcile.senders.payments.endpoint=merchant");
		// every post to the merchant is lost on the way
		ConfigurableApplicationContext payments = startPayments("spring.main.web-application-type=servlet",
				"server.port=" + paymentsPort, "dtx.notify.endpoints.merchant.url=http://localhost:"
						+ Ports.free() + "/lost");
		Notifications notifications = payments.getBean(Notifications.class);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			long amount = i;
			ids.add(transaction(payments)
				.execute((status) -> notifications.notify("merchant", TYPE, new Payment("o-" + amount, amount))));
		}
		String forAnother = transaction(payments)
			.execute((status) -> notifications.notify("dead", TYPE, new Payment("o-other", 7)));
		// one did arrive
		byte[] arrived = body(ids.get(0), TYPE);
		assertThat(post("payments", arrived, NotificationSignature.sign(SECRET, Instant.now(), arrived)))
			.isEqualTo(200);

		NotificationReconciler reconciler = this.merchant.getBean(NotificationReconciler.class);
		NotificationReconciler.Reconciliation first = reconciler.reconcile("payments");
		assertThat(first.listed()).as("the merchant's five, in three pages of two").isEqualTo(5);
		assertThat(first.applied()).as("all but the one that arrived").isEqualTo(4);
		assertThat(first.failed()).isEmpty();
		assertThat(ids).allSatisfy((id) -> assertThat(merchant().applied(id)).as(id).isEqualTo(1));
		assertThat(merchant().applied(forAnother)).as("another endpoint's").isZero();
		assertThat(jdbc(this.merchant).queryForObject("select sum(amount) from merchant_payment", Long.class))
			.as("the payloads the sender wrote, and the one posted")
			.isEqualTo(100 + 1 + 2 + 3 + 4);
		assertThat(merchant().contexts.get(ids.get(1)).sender()).isEqualTo("payments");

		NotificationReconciler.Reconciliation second = reconciler.reconcile("payments");
		assertThat(second.listed()).isEqualTo(5);
		assertThat(second.applied()).isZero();
		assertThat(merchant().appliedTotal()).isEqualTo(5);
	}

	@Test
	void forgedStaleAndUnsignedQueriesAreRefusedAndChangeNothing() {
		int paymentsPort = Ports.free();
		ConfigurableApplicationContext payments = startPayments("spring.main.web-application-type=servlet",
				"server.port=" + paymentsPort, "dtx.notify.dispatcher-enabled=false");
		String id = transaction(payments).execute((status) -> payments.getBean(Notifications.class)
			.notify("merchant", TYPE, new Payment("o-1", 100)));
		List<Map<String, Object>> before = jdbc(payments).queryForList("select * from dtx_notification");
		Query query = new Query("http://localhost:" + paymentsPort + "/dtx/notifications");
		Instant now = Instant.now();
		String one = NotificationQuery.signedText("merchant", id);
		assertThat(query.one(id, "merchant", null).status()).as("unsigned").isEqualTo(401);
		assertThat(query.one(id, "merchant", NotificationSignature.sign("guessed", now, bytes(one))).status())
			.isEqualTo(401);
		assertThat(query.one(id, "merchant", NotificationSignature.sign(SECRET, now.minusSeconds(600), bytes(one)))
			.status()).as("stale").isEqualTo(401);
		assertThat(query.one(id, "nobody", NotificationSignature.sign(SECRET, now,
				bytes(NotificationQuery.signedText("nobody", id)))).status())
			.as("no such endpoint")
			.isEqualTo(401);
		assertThat(query.one(id, "merchant", NotificationSignature.sign(SECRET, now,
				bytes(NotificationQuery.signedText("merchant", "another-id")))).status())
			.as("signed for another id")
			.isEqualTo(401);
		assertThat(query.page("merchant", null, "2", NotificationSignature.sign(SECRET, now,
				bytes(NotificationQuery.signedText("merchant", null, null, "1")))).status())
			.as("signed for another limit")
			.isEqualTo(401);
		assertThat(query.one(id, "dead", NotificationSignature.sign(SECRET, now,
				bytes(NotificationQuery.signedText("dead", id)))).status())
			.as("another endpoint's notification")
			.isEqualTo(404);
		assertThat(query.page("merchant", "not-a-cursor", null, NotificationSignature.sign(SECRET, now,
				bytes(NotificationQuery.signedText("merchant", null, "not-a-cursor", null)))).status())
			.isEqualTo(400);

		Query.Answer answer = query.one(id, "merchant", NotificationSignature.sign(SECRET, now, bytes(one)));
		assertThat(answer.status()).isEqualTo(200);
		assertThat(NotificationSignature.verify(SECRET, answer.signature(), answer.body(), Instant.now(),
				Duration.ofMinutes(1)))
			.as("the answer is signed")
			.isTrue();
		assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("\"id\":\"" + id + "\"")
			.contains("\"state\":\"PENDING\"")
			.contains("\"amount\":100");
		Query.Answer page = query.page("merchant", null, null, NotificationSignature.sign(SECRET, now,
				bytes(NotificationQuery.signedText("merchant", null, null, null))));
		assertThat(page.status()).isEqualTo(200);
		assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains(id).contains("\"next\":null");
		assertThat(jdbc(payments).queryForList("select * from dtx_notification")).as("nothing changed")
			.isEqualTo(before);
	}

	@Test
	void reconciliationBelievesNoAnswerWithoutTheSendersSignature() {
		startMerchant("dtx.notify.reconcile.enabled=true", "dtx.notify.receiver.secrets.impostor=" + SECRET,
				"dtx.notify.reconcile.senders.impostor.url=http://localhost:" + this.merchantPort + "/impostor/dtx",
				"dtx.notify.reconcile.senders.impostor.endpoint=merchant");
		NotificationReconciler reconciler = this.merchant.getBean(NotificationReconciler.class);
		assertThatIllegalStateException().isThrownBy(() -> reconciler.reconcile("impostor"))
			.withMessageContaining("not signed with the sender's secret");
		assertThat(merchant().appliedTotal()).isZero();
		assertThat(inboxEntries()).isZero();
	}

	@Test
	void metricsCountAttemptsAndShowWhatWaits() {
		startMerchant();
		merchant().failuresLeft.set(1);
		ConfigurableApplicationContext payments = startPayments();
		Notifications notifications = payments.getBean(Notifications.class);
		String delivered = transaction(payments)
			.execute((status) -> notifications.notify("merchant", TYPE, new Payment("o-1", 100)));
		String exhausted = transaction(payments)
			.execute((status) -> notifications.notify("dead", TYPE, new Payment("o-2", 200)));
		await().atMost(TIMEOUT)
			.until(() -> "DELIVERED".equals(state(payments, delivered)) && "EXHAUSTED".equals(state(payments, exhausted)));
		MeterRegistry meters = payments.getBean(MeterRegistry.class);
		assertThat(meters.get("dtx.notify.delivered").counter().count()).isEqualTo(1);
		assertThat(meters.get("dtx.notify.failed").tag("exhausted", "false").counter().count())
			.as("the merchant's one failure and the dead endpoint's first three")
			.isEqualTo(4);
		assertThat(meters.get("dtx.notify.failed").tag("exhausted", "true").counter().count()).isEqualTo(1);
		assertThat(meters.get("dtx.notify.exhausted").gauge().value()).isEqualTo(1);
		assertThat(meters.get("dtx.notify.pending").gauge().value()).isZero();
		assertThat(meters.get("dtx.notify.oldest.age").timeGauge().value()).isZero();

		payments.getBean(NotificationDispatcher.class).stop();
		transaction(payments).executeWithoutResult((status) -> notifications.notify("merchant", TYPE,
				new Payment("o-3", 300)));
		// read from the table at most once a second
		await().atMost(TIMEOUT).until(() -> meters.get("dtx.notify.pending").gauge().value() == 1);
		await().atMost(TIMEOUT).until(() -> meters.get("dtx.notify.oldest.age").timeGauge().value() > 0);
	}

	@Test
	void retentionDeletesDeliveredNotificationsAndOldNotificationInboxEntriesOnly() {
		ConfigurableApplicationContext payments = startPayments("dtx.notify.dispatcher-enabled=false",
				"dtx.notify.retention-enabled=false");
		Notifications notifications = payments.getBean(Notifications.class);
		transaction(payments).executeWithoutResult((status) -> {
			for (String id : List.of("delivered-long-ago", "delivered-now", "pending", "exhausted")) {
				notifications.notify(id, "merchant", TYPE, new Payment(id, 1));
			}
		});
		Instant now = Instant.now();
		JdbcTemplate jdbc = jdbc(payments);
		String deliver = "update dtx_notification set state = 'DELIVERED', delivered_at = ? where id = ?";
		jdbc.update(deliver, Timestamp.from(now.minus(Duration.ofMinutes(1))), "delivered-long-ago");
		jdbc.update(deliver, Timestamp.from(now), "delivered-now");
		jdbc.update("update dtx_notification set state = 'EXHAUSTED' where id = 'exhausted'");
		String receive = "insert into dtx_inbox (consumer, message_id, received_at) values (?, ?, ?)";
		jdbc.update(receive, "notification:bank", "old", Timestamp.from(now.minus(Duration.ofHours(2))));
		jdbc.update(receive, "notification:bank", "new", Timestamp.from(now));
		jdbc.update(receive, "billing", "a-kafka-message", Timestamp.from(now.minus(Duration.ofHours(2))));

		NotificationRetention retention = new NotificationRetention(payments.getBean(DtxTables.class),
				new SimpleAsyncTaskScheduler(), new NotificationRetention.Settings(Duration.ofSeconds(30),
						Duration.ofHours(1), Duration.ofHours(1)));
		assertThat(retention.deleteExpired()).isEqualTo(2);
		assertThat(jdbc.queryForList("select id from dtx_notification order by id", String.class))
			.containsExactly("delivered-now", "exhausted", "pending");
		assertThat(jdbc.queryForList("select message_id from dtx_inbox order by message_id", String.class))
			.as("the outbox's retention keeps a Kafka consumer's entries")
			.containsExactly("a-kafka-message", "new");
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Requests to a sender's query.
	 */
	record Query(String base) {

		Answer one(String id, String endpoint, String signature) {
			return get(this.base + "/" + id + "?endpoint=" + endpoint, signature);
		}

		Answer page(String endpoint, String after, String limit, String signature) {
			return get(this.base + "?endpoint=" + endpoint + ((after != null) ? "&after=" + after : "")
					+ ((limit != null) ? "&limit=" + limit : ""), signature);
		}

		private Answer get(String uri, String signature) {
			RestClient.RequestHeadersSpec<?> request = RestClient.create().get().uri(uri);
			if (signature != null) {
				request.header(NotificationSignature.HEADER, signature);
			}
			return request.exchange((req, response) -> new Answer(response.getStatusCode().value(),
					response.getHeaders().getFirst(NotificationSignature.HEADER), response.getBody().readAllBytes()));
		}

		record Answer(int status, String signature, byte[] body) {

		}

	}

	private Merchant merchant() {
		return this.merchant.getBean(Merchant.class);
	}

	private RequestCounter counter() {
		return this.merchant.getBean(RequestCounter.class);
	}

	private int inboxEntries() {
		Integer entries = jdbc(this.merchant).queryForObject(
				"select count(*) from dtx_inbox where consumer = 'notification:payments'", Integer.class);
		return (entries != null) ? entries : 0;
	}

	private int post(String sender, byte[] body, String signature) {
		return NotificationTestApps.post(this.merchantPort, sender, body, signature);
	}

	private static byte[] body(String id, String type) {
		return body(id, type, 100);
	}

	private static byte[] body(String id, String type, long amount) {
		return NotificationTestApps.body(id, type, "o-1", amount);
	}

	private static TransactionTemplate transaction(ConfigurableApplicationContext context) {
		return new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
	}

	private static JdbcTemplate jdbc(ConfigurableApplicationContext context) {
		return new JdbcTemplate(context.getBean(DataSource.class));
	}

	private static String state(ConfigurableApplicationContext context, String id) {
		return row(context, id).get("state").toString();
	}

	private static int attempts(ConfigurableApplicationContext context, String id) {
		return ((Number) row(context, id).get("attempts")).intValue();
	}

	private static String lastError(ConfigurableApplicationContext context, String id) {
		Object error = row(context, id).get("last_error");
		return (error != null) ? error.toString() : "";
	}

	private static Map<String, Object> row(ConfigurableApplicationContext context, String id) {
		return jdbc(context).queryForMap("select state, attempts, last_error from dtx_notification where id = ?", id);
	}

}
