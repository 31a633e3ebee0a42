package io.dtx.notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * The two applications of the notification tests: a payment service that notifies, and a
 * merchant that receives, counting every request and every application of a notification.
 */
final class NotificationTestApps {

	static final String SECRET = "merchant-secret";

	static final String TYPE = "PAYMENT_SUCCEEDED";

	private NotificationTestApps() {
	}


	/**
	 * A notification's body as the dispatcher posts it.
	 */
	static byte[] body(String id, String type, String orderId, long amount) {
		return ("{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"createdAt\":\"" + Instant.now()
				+ "\",\"payload\":{\"orderId\":\"" + orderId + "\",\"amount\":" + amount + "}}")
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Posts {@code body} to the receiver on {@code port} as {@code sender}, signed with
	 * {@code signature} where it is not null; returns the answer's status.
	 */
	static int post(int port, String sender, byte[] body, @Nullable String signature) {
		RestClient.RequestBodySpec request = RestClient.create()
			.post()
			.uri("http://localhost:" + port + "/dtx/notifications/" + sender)
			.contentType(MediaType.APPLICATION_JSON);
		if (signature != null) {
			request.header(NotificationSignature.HEADER, signature);
		}
		return request.body(body).exchange((req, response) -> response.getStatusCode().value());
	}

	/**
	 * What the payment service tells the merchant.
	 */
	record Payment(String orderId, long amount) {

	}

	/**
	 * The payment service: only notifies, no web server of its own.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class PaymentApplication {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	/**
	 * The merchant: the receiver, a handler that writes a row per application, and a slow
	 * endpoint that answers only when the test lets it.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MerchantApplication {

		@Bean
		Merchant merchant(DataSource dataSource) {
			return new Merchant(new JdbcTemplate(dataSource));
		}

		@Bean
		RequestCounter requestCounter() {
			return new RequestCounter();
		}

		@Bean
		Filter notificationRequestCounter(RequestCounter counter) {
			return (request, response, chain) -> {
				String id = ((HttpServletRequest) request).getHeader(NotificationDispatcher.ID_HEADER);
				if (id == null || !((HttpServletRequest) request).getRequestURI().startsWith("/dtx/notifications/")) {
					chain.doFilter(request, response);
					return;
				}
				counter.enter(id, request.getParameter("via"));
				try {
					chain.doFilter(request, response);
				}
				finally {
					counter.leave(id);
				}
			};
		}

		@Bean
		SlowEndpoint slowEndpoint() {
			return new SlowEndpoint();
		}

		@Bean
		UnsignedQuery unsignedQuery() {
			return new UnsignedQuery();
		}

	}

	/**
	 * The merchant's handler: one row in merchant_payment per application, and the
	 * amount added to the one row of merchant_total, in the receiver's transaction; it
	 * fails while {@code failuresLeft} is above zero.
	 */
	static class Merchant {

		final JdbcTemplate jdbc;

		final AtomicInteger failuresLeft = new AtomicInteger();

		final Map<String, NotificationContext> contexts = new ConcurrentHashMap<>();

		// run once the receiver's transaction committed, before it answers: where a crash test halts
		volatile @Nullable Runnable afterCommit;

		Merchant(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
			jdbc.execute("create table if not exists merchant_payment (notification_id varchar(64) not null, "
					+ "order_id varchar(64) not null, amount bigint not null)");
			// a hot row: every application updates it
			jdbc.execute("create table if not exists merchant_total (id int not null primary key, "
					+ "total bigint not null)");
			if (jdbc.queryForList("select id from merchant_total", Integer.class).isEmpty()) {
				jdbc.update("insert into merchant_total (id, total) values (1, 0)");
			}
		}

		@NotificationHandler(TYPE)
		public void paid(Payment payment, NotificationContext context) {
			this.contexts.put(context.id(), context);
			this.jdbc.update("insert into merchant_payment (notification_id, order_id, amount) values (?, ?, ?)",
					context.id(), payment.orderId(), payment.amount());
			this.jdbc.update("update merchant_total set total = total + ? where id = 1", payment.amount());
			if (this.failuresLeft.getAndDecrement() > 0) {
				throw new IllegalStateException("the merchant's database is down for maintenance");
			}
			Runnable afterCommit = this.afterCommit;
			if (afterCommit != null) {
				TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

					@Override
					public void afterCommit() {
						afterCommit.run();
					}

				});
			}
		}

		long total() {
			Long total = this.jdbc.queryForObject("select total from merchant_total where id = 1", Long.class);
			return (total != null) ? total : 0;
		}

		int applied(String id) {
			Integer count = this.jdbc.queryForObject(
					"select count(*) from merchant_payment where notification_id = ?", Integer.class, id);
			return (count != null) ? count : 0;
		}

		int appliedTotal() {
			Integer count = this.jdbc.queryForObject("select count(*) from merchant_payment", Integer.class);
			return (count != null) ? count : 0;
		}

	}

	/**
	 * Every request to the receiver's endpoint per notification id, and the most that ran
	 * at once, for one id and in all.
	 */
	static class RequestCounter {

		final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

		final AtomicInteger mostAtOnceForOneId = new AtomicInteger();

		final AtomicInteger atOnce = new AtomicInteger();

		final AtomicInteger mostAtOnce = new AtomicInteger();

		// the requests per dispatcher, where the test names them in the endpoint's URL
		final Map<String, AtomicInteger> dispatchers = new ConcurrentHashMap<>();

		void enter(String id, String dispatcher) {
			if (dispatcher != null) {
				this.dispatchers.computeIfAbsent(dispatcher, (key) -> new AtomicInteger()).incrementAndGet();
			}
			this.requests.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
			int now = this.inFlight.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
			this.mostAtOnceForOneId.accumulateAndGet(now, Math::max);
			this.mostAtOnce.accumulateAndGet(this.atOnce.incrementAndGet(), Math::max);
		}

		void leave(String id) {
			this.atOnce.decrementAndGet();
			this.inFlight.get(id).decrementAndGet();
		}

		int requests(String id) {
			AtomicInteger count = this.requests.get(id);
			return (count != null) ? count.get() : 0;
		}

	}

	/**
	 * An endpoint that holds every request until released, counting those it holds.
	 */
	@RestController
	static class SlowEndpoint {

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger held = new AtomicInteger();

		final AtomicInteger mostHeld = new AtomicInteger();

		@PostMapping("/slow")
		void slow() throws InterruptedException {
			this.mostHeld.accumulateAndGet(this.held.incrementAndGet(), Math::max);
			try {
				this.release.await(30, TimeUnit.SECONDS);
			}
			finally {
				this.held.decrementAndGet();
			}
		}

	}

	/**
	 * A sender's query as an impostor serves it: a page of one notification, unsigned.
	 */
	@RestController
	static class UnsignedQuery {

		@GetMapping("/impostor/dtx/notifications")
		String notifications() {
			return "{\"notifications\":[{\"id\":\"forged-1\",\"type\":\"" + TYPE + "\",\"createdAt\":\""
					+ Instant.now() + "\",\"payload\":{\"orderId\":\"o-x\",\"amount\":1000000}}],\"next\":null}";
		}

	}

}
