package io.dtx.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import io.dtx.notify.NotificationTestApps.Merchant;
import io.dtx.notify.NotificationTestApps.MerchantApplication;
import io.dtx.notify.NotificationTestApps.Payment;
import io.dtx.notify.NotificationTestApps.PaymentApplication;
import io.dtx.notify.NotificationTestApps.RequestCounter;
import io.dtx.notify.NotificationTestApps.SlowEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

import static io.dtx.notify.NotificationTestApps.SECRET;
import static io.dtx.notify.NotificationTestApps.TYPE;
import static org.assertj.core.api.Assertions.assertThat;
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
		this.merchantPort = NotificationTestApps.freePort();
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

	private ConfigurableApplicationContext startMerchant() {
		this.merchant = new SpringApplicationBuilder(MerchantApplication.class).properties(common("merchant"))
			.properties("server.port=" + this.merchantPort, "dtx.notify.dispatcher-enabled=false",
					"dtx.notify.receiver.secrets.payments=" + SECRET)
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
					"dtx.notify.endpoints.dead.url=http://localhost:" + NotificationTestApps.freePort() + "/gone",
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
		RestClient.RequestBodySpec request = RestClient.create()
			.post()
			.uri("http://localhost:" + this.merchantPort + "/dtx/notifications/" + sender)
			.contentType(MediaType.APPLICATION_JSON);
		if (signature != null) {
			request.header(NotificationSignature.HEADER, signature);
		}
		return request.body(body).exchange((req, response) -> response.getStatusCode().value());
	}

	private static byte[] body(String id, String type) {
		return body(id, type, 100);
	}

	private static byte[] body(String id, String type, long amount) {
		return ("{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"createdAt\":\"" + Instant.now()
				+ "\",\"payload\":{\"orderId\":\"o-1\",\"amount\":" + amount + "}}")
			.getBytes(StandardCharsets.UTF_8);
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
