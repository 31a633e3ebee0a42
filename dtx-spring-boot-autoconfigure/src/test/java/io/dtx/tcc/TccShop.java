package io.dtx.tcc;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.dtx.core.BranchContext;
import io.dtx.test.MutableClock;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A shop whose order reserves stock and freezes funds as two TCC branches, with the
 * bookkeeping a test needs to check what phase two did.
 */
class TccShop {

	static class Stock {

		private final JdbcTemplate jdbc;

		// read through methods: a test holds the proxy, whose own fields are never set
		private final AtomicInteger confirms = new AtomicInteger();

		private final AtomicInteger cancels = new AtomicInteger();

		private volatile int confirmFailuresLeft;

		private volatile int cancelFailuresLeft;

		Stock(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
			this.jdbc.execute("create table if not exists stock (item varchar(20) primary key, available int not null,"
					+ " reserved int not null)");
			if (this.jdbc.queryForObject("select count(*) from stock", Integer.class) == 0) {
				this.jdbc.update("insert into stock values ('widget', 10, 0)");
			}
		}

		@TccTry("reserve")
		public void reserve(String item, int quantity) {
			int updated = this.jdbc.update("update stock set reserved = reserved + ? where item = ?"
					+ " and available - reserved >= ?", quantity, item, quantity);
			if (updated == 0) {
				throw new IllegalStateException("out of stock: " + item);
			}
		}

		@Confirm("reserve")
		public void confirmReserve(String item, int quantity) {
			if (this.confirmFailuresLeft > 0) {
				this.confirmFailuresLeft--;
				throw new IllegalStateException("stock database unavailable");
			}
			this.jdbc.update("update stock set available = available - ?, reserved = reserved - ? where item = ?",
					quantity, quantity, item);
			this.confirms.incrementAndGet();
		}

		@Cancel("reserve")
		public void cancelReserve(String item, int quantity, BranchContext branch) {
			if (this.cancelFailuresLeft > 0) {
				this.cancelFailuresLeft--;
				throw new IllegalStateException("stock database unavailable");
			}
			this.jdbc.update("update stock set reserved = reserved - ? where item = ?", quantity, item);
			this.cancels.incrementAndGet();
		}

		public int confirms() {
			return this.confirms.get();
		}

		public int cancels() {
			return this.cancels.get();
		}

		public void failNextConfirms(int times) {
			this.confirmFailuresLeft = times;
		}

		public void failNextCancels(int times) {
			this.cancelFailuresLeft = times;
		}

		public int available() {
			return this.jdbc.queryForObject("select available from stock where item = 'widget'", Integer.class);
		}

		public int reserved() {
			return this.jdbc.queryForObject("select reserved from stock where item = 'widget'", Integer.class);
		}

	}

	static class Payment {

		private final JdbcTemplate jdbc;

		private final AtomicInteger confirms = new AtomicInteger();

		Payment(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
			this.jdbc.execute("create table if not exists account (id varchar(20) primary key, balance int not null,"
					+ " frozen int not null)");
			if (this.jdbc.queryForObject("select count(*) from account", Integer.class) == 0) {
				this.jdbc.update("insert into account values ('alice', 100, 0)");
			}
		}

		@TccTry("freeze")
		public void freeze(String account, int amount) {
			if (this.jdbc.update("update account set frozen = frozen + ? where id = ? and balance - frozen >= ?",
					amount, account, amount) == 0) {
				throw new IllegalStateException("insufficient funds: " + account);
			}
		}

		@Confirm("freeze")
		public void pay(String account, int amount) {
			this.confirms.incrementAndGet();
			this.jdbc.update("update account set balance = balance - ?, frozen = frozen - ? where id = ?", amount,
					amount, account);
		}

		@Cancel("freeze")
		public void unfreeze(String account, int amount) {
			this.jdbc.update("update account set frozen = frozen - ? where id = ?", amount, account);
		}

		public int confirms() {
			return this.confirms.get();
		}

		public int balance() {
			return this.jdbc.queryForObject("select balance from account where id = 'alice'", Integer.class);
		}

		public int frozen() {
			return this.jdbc.queryForObject("select frozen from account where id = 'alice'", Integer.class);
		}

	}

	static class Orders {

		private final Stock stock;

		private final Payment payment;

		private final MutableClock clock;

		Orders(Stock stock, Payment payment, MutableClock clock) {
			this.stock = stock;
			this.payment = payment;
			this.clock = clock;
		}

		@TccTransaction(name = "place-order", timeout = "10s")
		public String placeOrder(int quantity, int price) {
			this.stock.reserve("widget", quantity);
			this.payment.freeze("alice", quantity * price);
			return "ordered " + quantity;
		}

		@TccTransaction(name = "observed-order")
		public void placeOrderObserving(Runnable observer) {
			this.stock.reserve("widget", 1);
			observer.run();
		}

		@TccTransaction(name = "slow-order", timeout = "10s")
		public void placeSlowOrder(int quantity) {
			this.stock.reserve("widget", quantity);
			this.clock.advance(Duration.ofSeconds(11));
		}

		@TccTransaction
		public void placeOrderThenFail(int quantity) throws java.io.IOException {
			this.stock.reserve("widget", quantity);
			throw new java.io.IOException("printer on fire");
		}

	}

}
