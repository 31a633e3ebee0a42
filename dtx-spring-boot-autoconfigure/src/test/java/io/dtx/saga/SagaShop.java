package io.dtx.saga;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.dtx.test.MutableClock;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A shop whose order is a saga of three steps (charge, reserve, schedule a delivery),
 * with the bookkeeping a test needs: a journal of compensations in the order they ran,
 * and switches that make steps and compensations fail.
 */
class SagaShop {

	/**
	 * The compensations run, in order, across the shop's beans.
	 */
	static class Journal {

		private final List<String> entries = new CopyOnWriteArrayList<>();

		void add(String entry) {
			this.entries.add(entry);
		}

		List<String> entries() {
			return List.copyOf(this.entries);
		}

	}

	static class TransientException extends RuntimeException {

		TransientException(String message) {
			super(message);
		}

	}

	static class OutOfStockException extends RuntimeException {

		OutOfStockException(String item) {
			super("out of stock: " + item);
		}

	}

	static class Payment {

		private final JdbcTemplate jdbc;

		private final Journal journal;

		private final AtomicInteger refundFailuresLeft = new AtomicInteger();

		Payment(DataSource dataSource, Journal journal) {
			this.jdbc = new JdbcTemplate(dataSource);
			this.journal = journal;
			this.jdbc.execute(
					"create table if not exists account (name varchar(20) primary key, balance int not null)");
			this.jdbc.execute("create table if not exists charge (id int primary key, name varchar(20) not null,"
					+ " amount int not null)");
			if (this.jdbc.queryForObject("select count(*) from account", Integer.class) == 0) {
				this.jdbc.update("insert into account values ('alice', 100)");
			}
		}

		/** Charges the customer and returns the charge's id, which a refund needs. */
		@SagaStep(compensate = "refund")
		public Integer charge(String customer, int amount) {
			if (this.jdbc.update("update account set balance = balance - ? where name = ? and balance >= ?", amount,
					customer, amount) == 0) {
				throw new IllegalStateException("insufficient funds: " + customer);
			}
			int id = this.jdbc.queryForObject("select coalesce(max(id), 0) + 1 from charge", Integer.class);
			this.jdbc.update("insert into charge values (?, ?, ?)", id, customer, amount);
			return id;
		}

		public void refund(String customer, int amount, Integer chargeId) {
			if (this.refundFailuresLeft.getAndUpdate((left) -> Math.max(left - 1, 0)) > 0) {
				throw new IllegalStateException("payment provider unavailable");
			}
			this.jdbc.update("update account set balance = balance + ? where name = ?", amount, customer);
			this.jdbc.update("delete from charge where id = ?", chargeId);
			this.journal.add("refund " + customer + " " + amount + " charge " + chargeId);
		}

		void failNextRefunds(int times) {
			this.refundFailuresLeft.set(times);
		}

		int balance() {
			return this.jdbc.queryForObject("select balance from account where name = 'alice'", Integer.class);
		}

		int charges() {
			return this.jdbc.queryForObject("select count(*) from charge", Integer.class);
		}

	}

	static class Stock {

		private final JdbcTemplate jdbc;

		private final Journal journal;

		Stock(DataSource dataSource, Journal journal) {
			this.jdbc = new JdbcTemplate(dataSource);
			this.journal = journal;
			this.jdbc.execute(
					"create table if not exists stock (item varchar(20) primary key, available int not null)");
			if (this.jdbc.queryForObject("select count(*) from stock", Integer.class) == 0) {
				this.jdbc.update("insert into stock values ('widget', 10)");
			}
		}

		@SagaStep(compensate = "release")
		public void reserve(String item, int quantity) {
			if (this.jdbc.update("update stock set available = available - ? where item = ? and available >= ?",
					quantity, item, quantity) == 0) {
				throw new OutOfStockException(item);
			}
		}

		public void release(String item, int quantity) {
			this.jdbc.update("update stock set available = available + ? where item = ?", quantity, item);
			this.journal.add("release " + item + " " + quantity);
		}

		int available() {
			return this.jdbc.queryForObject("select available from stock where item = 'widget'", Integer.class);
		}

	}

	static class Delivery {

		private final JdbcTemplate jdbc;

		private final Journal journal;

		private final AtomicInteger failuresLeft = new AtomicInteger();

		private final AtomicInteger attempts = new AtomicInteger();

		private volatile RuntimeException failure = new TransientException("courier busy");

		Delivery(DataSource dataSource, Journal journal) {
			this.jdbc = new JdbcTemplate(dataSource);
			this.journal = journal;
			this.jdbc.execute("create table if not exists delivery (id varchar(20) primary key)");
		}

		/** Retried on a busy courier, never on a refused address. */
		@SagaStep(compensate = "cancel", maxAttempts = 3, backoff = "5ms", retryFor = TransientException.class,
				noRetryFor = IllegalArgumentException.class)
		public String schedule(String item) {
			this.attempts.incrementAndGet();
			// the insert rolls back with a failed attempt
			String id = "D-" + (deliveries() + 1);
			this.jdbc.update("insert into delivery values (?)", id);
			if (this.failuresLeft.getAndUpdate((left) -> Math.max(left - 1, 0)) > 0) {
				throw this.failure;
			}
			return id;
		}

		public void cancel(String item, String deliveryId) {
			this.jdbc.update("delete from delivery where id = ?", deliveryId);
			this.journal.add("cancel " + deliveryId);
		}

		void failNext(int times, RuntimeException failure) {
			this.failure = failure;
			this.failuresLeft.set(times);
		}

		int attempts() {
			return this.attempts.get();
		}

		int deliveries() {
			return this.jdbc.queryForObject("select count(*) from delivery", Integer.class);
		}

	}

	static class Orders {

		private final Payment payment;

		private final Stock stock;

		private final Delivery delivery;

		private final MutableClock clock;

		Orders(Payment payment, Stock stock, Delivery delivery, MutableClock clock) {
			this.payment = payment;
			this.stock = stock;
			this.delivery = delivery;
			this.clock = clock;
		}

		@Saga(name = "place-order", timeout = "10s")
		public String placeOrder(int quantity, int amount) {
			this.payment.charge("alice", amount);
			this.stock.reserve("widget", quantity);
			return this.delivery.schedule("widget");
		}

		@Saga(name = "slow-order", timeout = "10s")
		public void placeSlowOrder(int quantity) {
			this.payment.charge("alice", 10);
			this.stock.reserve("widget", quantity);
			this.clock.advance(Duration.ofSeconds(11));
		}

		@Saga
		public void placeOrderThenFail() throws java.io.IOException {
			this.payment.charge("alice", 10);
			throw new java.io.IOException("printer on fire");
		}

	}

}
