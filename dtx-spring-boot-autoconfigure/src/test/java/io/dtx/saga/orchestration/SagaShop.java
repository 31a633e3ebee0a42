package io.dtx.saga.orchestration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dtx.tcc.crash.CrashPoints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The survey's order flow as the saga tests run it. The order service defines the sagas:
 * {@code place-order} creates the order locally (and counts it on a hot row), charges the
 * payment service (which takes the amount from a hot account row, and declines amounts over
 * {@value #CARD_LIMIT}), reserves at the stock service (one hot stock row), and finishes
 * locally; {@code ship-order} charges and then waits for a delivery service that never
 * answers. With {@code shop.impatience} set, {@code place-order} sends its commands again
 * under the same id whenever a reply takes longer than that, so that the timeout scans of
 * every orchestrator instance race with the replies for the same sagas. Channels carry the {@code run} property, so that runs share no topic. Run as a
 * JVM of its own ({@link #main}), a service waits at the point the {@code crash.point}
 * system property names for the test to kill it.
 */
final class SagaShop {

	static final String PLACE_ORDER = "place-order";

	static final String SHIP_ORDER = "ship-order";

	/** Charges above this are declined by the payment service, after it took the amount. */
	static final int CARD_LIMIT = 500;

	static final int OPENING_BALANCE = 1_000_000;

	/** The orchestrator, once its relay published a charge command and the broker has it. */
	static final String ORCHESTRATOR_AFTER_COMMAND = "orchestrator-after-command";

	/** The orchestrator, in the transition of a charge's reply, before it commits. */
	static final String ORCHESTRATOR_AFTER_REPLY = "orchestrator-after-reply";

	/** The payment service, in the transaction of a charge, after its statements ran. */
	static final String PARTICIPANT_MID_COMMAND = "participant-mid-command";

	/** The line a service in a JVM of its own prints once it started. */
	static final String STARTED = "SAGA-SHOP started";

	static final CrashPoints CRASH = new CrashPoints(System.getProperty("crash.point", ""));

	// "step sagaId" as each local step and handler saw the MDC
	static final List<String> SEEN_IN_MDC = new CopyOnWriteArrayList<>();

	private SagaShop() {
	}

	/**
	 * Runs the order service ({@code --shop.role=orders}) or the payment and stock services
	 * ({@code --shop.role=participants}) with the given properties as arguments; an order
	 * service given {@code --shop.place=<order id>} places that order of one book once started.
	 */
	public static void main(String[] args) {
		boolean orders = List.of(args).contains("--shop.role=orders");
		ConfigurableApplicationContext service = new SpringApplicationBuilder(
				orders ? OrdersApplication.class : ParticipantsApplication.class)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(args);
		System.out.println(STARTED);
		System.out.flush();
		String place = service.getEnvironment().getProperty("shop.place");
		if (orders && place != null) {
			service.getBean(SagaOrchestrator.class).start(PLACE_ORDER, new Order(place, "book", 1, 30, null));
		}
	}

	static void seen(String where) {
		SEEN_IN_MDC.add(where + " " + MDC.get(SagaOrchestrator.MDC_KEY));
	}

	record Order(String id, String item, int quantity, int amount, String paymentId) {

		Order paidBy(String payment) {
			return new Order(this.id, this.item, this.quantity, this.amount, payment);
		}

	}

	record Charge(String orderId, int amount) {

	}

	record Charged(String paymentId) {

	}

	record Refund(String paymentId) {

	}

	record Reserve(String orderId, String item, int quantity) {

	}

	record Ship(String orderId) {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class OrdersApplication {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		SagaDefinition<Order> placeOrder(JdbcTemplate jdbc, @Value("${run}") String run,
				@Value("${shop.impatience:#{null}}") @Nullable Duration impatience) {
			jdbc.execute("create table if not exists orders (id varchar(16) primary key, state varchar(16) not null)");
			jdbc.execute("create table if not exists placed (id varchar(8) primary key, orders integer not null)");
			if (jdbc.queryForObject("select count(*) from placed", Integer.class) == 0) {
				jdbc.update("insert into placed (id, orders) values ('all', 0)");
			}
			SagaDefinition.Builder<Order> saga = SagaDefinition.builder(PLACE_ORDER, Order.class);
			saga.step("create")
				.local((order) -> {
					seen("create");
					Driving.enter();
					jdbc.update("insert into orders (id, state) values (?, 'PENDING')", order.id());
					jdbc.update("update placed set orders = orders + 1 where id = 'all'");
					return order;
				})
				.localCompensation((order) -> {
					Driving.enter();
					jdbc.update("update orders set state = 'FAILED' where id = ?", order.id());
					jdbc.update("update placed set orders = orders - 1 where id = 'all'");
					return order;
				});
			SagaDefinition.StepBuilder<Order> charge = saga.step("charge")
				.command("payment-" + run, (order) -> new Charge(order.id(), order.amount()))
				.onReply(Charged.class, (order, charged) -> {
					Driving.enter();
					CRASH.reach(ORCHESTRATOR_AFTER_REPLY);
					return order.paidBy(charged.paymentId());
				})
				.compensation("payment-" + run, (order) -> new Refund(order.paymentId()));
			SagaDefinition.StepBuilder<Order> reserve = saga.step("reserve")
				.command("stock-" + run, (order) -> new Reserve(order.id(), order.item(), order.quantity()));
			if (impatience != null) {
				// sent again under the same command id until its reply comes, however long it takes; the
				// wait grows to four times the first, so that a loaded machine is not loaded more by resends
				for (SagaDefinition.StepBuilder<Order> step : List.of(charge, reserve)) {
					step.timeout(impatience).retry(RetryPolicy.attempts(1000, impatience, impatience.multipliedBy(4)));
				}
			}
			return saga.step("finish")
				.local((order) -> {
					seen("finish");
					Driving.enter();
					jdbc.update("update orders set state = 'COMPLETED' where id = ?", order.id());
					return order;
				})
				.build();
		}

		// its delivery service never answers
		@Bean
		SagaDefinition<Order> shipOrder(@Value("${run}") String run) {
			return SagaDefinition.builder(SHIP_ORDER, Order.class)
				.step("charge")
				.command("payment-" + run, (order) -> new Charge(order.id(), order.amount()))
				.onReply(Charged.class, (order, charged) -> order.paidBy(charged.paymentId()))
				.compensation("payment-" + run, (order) -> new Refund(order.paymentId()))
				.step("ship")
				.command("delivery-" + run, (order) -> new Ship(order.id()))
				.timeout(Duration.ofSeconds(1))
				.retry(RetryPolicy.attempts(2, Duration.ofMillis(200), Duration.ofMillis(400)))
				.build();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ParticipantsApplication {

		@Bean
		Participant participant(JdbcTemplate jdbc, Environment environment) {
			jdbc.execute("create table if not exists payment (id varchar(40) primary key, order_id varchar(16) not null,"
					+ " amount integer not null, state varchar(16) not null)");
			jdbc.execute("create table if not exists account (id varchar(16) primary key, balance integer not null)");
			jdbc.execute("create table if not exists stock (item varchar(16) primary key, available integer not null)");
			jdbc.execute("create table if not exists refusing (what varchar(16) primary key)");
			if (jdbc.queryForObject("select count(*) from stock", Integer.class) == 0) {
				jdbc.update("insert into account (id, balance) values ('alice', ?)", OPENING_BALANCE);
				jdbc.update("insert into stock (item, available) values ('book', ?)",
						environment.getProperty("shop.stock", Integer.class, 10));
			}
			return new Participant(jdbc);
		}

	}

	static class Participant {

		private final JdbcTemplate jdbc;

		Participant(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@SagaCommandHandler("payment-${run}")
		Charged charge(Charge charge) {
			seen("charge");
			String paymentId = "p-" + charge.orderId();
			this.jdbc.update("update account set balance = balance - ? where id = 'alice'", charge.amount());
			if (charge.amount() > CARD_LIMIT) {
				throw new IllegalStateException("card declined: " + charge.amount());
			}
			this.jdbc.update("insert into payment (id, order_id, amount, state) values (?, ?, ?, 'CHARGED')", paymentId,
					charge.orderId(), charge.amount());
			CRASH.reach(PARTICIPANT_MID_COMMAND);
			return new Charged(paymentId);
		}

		@SagaCommandHandler("payment-${run}")
		void refund(Refund refund) {
			if (this.jdbc.queryForObject("select count(*) from refusing where what = 'refunds'", Integer.class) > 0) {
				throw new IllegalStateException("refunds are refused for now");
			}
			this.jdbc.update("update account set balance = balance + (select amount from payment where id = ?)"
					+ " where id = 'alice'", refund.paymentId());
			this.jdbc.update("update payment set state = 'REFUNDED' where id = ?", refund.paymentId());
		}

		@SagaCommandHandler("stock-${run}")
		void reserve(Reserve reserve) {
			seen("reserve");
			if (this.jdbc.update("update stock set available = available - ? where item = ? and available >= ?",
					reserve.quantity(), reserve.item(), reserve.quantity()) == 0) {
				throw new IllegalStateException("out of stock: " + reserve.quantity() + " x " + reserve.item());
			}
		}

	}

	/**
	 * Notes a saga whose transition began in one thread while one of the same saga was
	 * under way in another — two orchestrator instances in this JVM driving one saga at
	 * once — by the saga id in the MDC, until the transition's transaction ends.
	 */
	static final class Driving {

		static final List<String> OVERLAPS = new CopyOnWriteArrayList<>();

		private static final Map<String, Thread> UNDER_WAY = new ConcurrentHashMap<>();

		private Driving() {
		}

		static void enter() {
			String sagaId = MDC.get(SagaOrchestrator.MDC_KEY);
			Thread current = Thread.currentThread();
			Thread other = UNDER_WAY.putIfAbsent(sagaId, current);
			if (other == current) {
				return;
			}
			if (other != null) {
				OVERLAPS.add(sagaId + " in " + current.getName() + " while in " + other.getName());
				return;
			}
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCompletion(int status) {
					UNDER_WAY.remove(sagaId, current);
				}

			});
		}

	}

	/**
	 * Waits at {@link #ORCHESTRATOR_AFTER_COMMAND} once the broker acknowledged a charge
	 * command: configured as the interceptor of the orchestrator's outbox producer.
	 */
	public static final class WaitAfterCommand implements ProducerInterceptor<Object, Object> {

		@Override
		public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
			return record;
		}

		@Override
		public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
			if (exception == null && metadata != null && metadata.topic().startsWith("payment-")) {
				CRASH.reach(ORCHESTRATOR_AFTER_COMMAND);
			}
		}

		@Override
		public void close() {
		}

		@Override
		public void configure(Map<String, ?> configs) {
		}

	}

}
