package io.dtx.saga;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.dtx.core.GlobalTransactionContext;
import io.dtx.test.HotRowLedger;
import io.dtx.test.HotRows;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A shop with one account and one item, which every order hits, as a saga of three steps:
 * charge the account, reserve the item, award points on the account. Awarding points is
 * refused for every fifth order, after it changed the row, so that its rollback shows.
 * Each effect goes into the {@link HotRowLedger} with its order.
 */
class SagaHotRowShop {

	static final String ACCOUNT = "hot";

	static final String ITEM = "hot";

	/** Enough that no order fails for lack of funds or stock: only by design. */
	static final int OPENING = 1_000_000;

	/** What the last step of every fifth order throws. */
	static class PointsRefusedException extends RuntimeException {

		PointsRefusedException(int order) {
			super("points refused for order " + order);
		}

	}

	static class Account {

		private final JdbcTemplate jdbc;

		private final HotRowLedger ledger;

		// read through methods: a test holds the proxy, whose own fields are never set
		private final Map<Integer, RuntimeException> refusals = new ConcurrentHashMap<>();

		Account(DataSource dataSource, HotRowLedger ledger) {
			this.jdbc = new JdbcTemplate(dataSource);
			this.ledger = ledger;
			this.jdbc.execute("create table hot_account (id varchar(20) primary key, balance int not null,"
					+ " points int not null)");
			this.jdbc.update("insert into hot_account values (?, ?, 0)", ACCOUNT, OPENING);
		}

		@SagaStep(compensate = "refund")
		public void charge(String account, int order) {
			int amount = HotRows.amount(order);
			if (this.jdbc.update("update hot_account set balance = balance - ? where id = ? and balance >= ?", amount,
					account, amount) == 0) {
				throw new IllegalStateException("insufficient funds: " + account);
			}
			this.ledger.record(order, "charge", amount);
		}

		public void refund(String account, int order) {
			int amount = HotRows.amount(order);
			this.jdbc.update("update hot_account set balance = balance + ? where id = ?", amount, account);
			this.ledger.record(order, "refund", amount);
		}

		@SagaStep(compensate = "revoke")
		public void award(String account, int order) {
			int points = HotRows.quantity(order);
			this.jdbc.update("update hot_account set points = points + ? where id = ?", points, account);
			this.ledger.record(order, "award", points);
			if (HotRows.failsByDesign(order)) {
				PointsRefusedException refused = new PointsRefusedException(order);
				this.refusals.put(order, refused);
				throw refused;
			}
		}

		public void revoke(String account, int order) {
			int points = HotRows.quantity(order);
			this.jdbc.update("update hot_account set points = points - ? where id = ?", points, account);
			this.ledger.record(order, "revoke", points);
		}

		/** The very exception the order's last step threw, if it failed by design. */
		public RuntimeException refusal(int order) {
			return this.refusals.get(order);
		}

		public int balance() {
			return this.jdbc.queryForObject("select balance from hot_account where id = ?", Integer.class, ACCOUNT);
		}

		public int points() {
			return this.jdbc.queryForObject("select points from hot_account where id = ?", Integer.class, ACCOUNT);
		}

	}

	static class Stock {

		private final JdbcTemplate jdbc;

		private final HotRowLedger ledger;

		Stock(DataSource dataSource, HotRowLedger ledger) {
			this.jdbc = new JdbcTemplate(dataSource);
			this.ledger = ledger;
			this.jdbc.execute("create table hot_stock (item varchar(20) primary key, available int not null)");
			this.jdbc.update("insert into hot_stock values (?, ?)", ITEM, OPENING);
		}

		@SagaStep(compensate = "release")
		public void reserve(String item, int order) {
			int quantity = HotRows.quantity(order);
			if (this.jdbc.update("update hot_stock set available = available - ? where item = ? and available >= ?",
					quantity, item, quantity) == 0) {
				throw new IllegalStateException("out of stock: " + item);
			}
			this.ledger.record(order, "reserve", quantity);
		}

		public void release(String item, int order) {
			int quantity = HotRows.quantity(order);
			this.jdbc.update("update hot_stock set available = available + ? where item = ?", quantity, item);
			this.ledger.record(order, "release", quantity);
		}

		public int available() {
			return this.jdbc.queryForObject("select available from hot_stock where item = ?", Integer.class, ITEM);
		}

	}

	static class Orders {

		private final Account account;

		private final Stock stock;

		private final Map<Integer, String> xids = new ConcurrentHashMap<>();

		Orders(Account account, Stock stock) {
			this.account = account;
			this.stock = stock;
		}

		@Saga(name = "hot-order")
		public void place(int order) {
			this.xids.put(order, GlobalTransactionContext.current().xid());
			this.account.charge(ACCOUNT, order);
			this.stock.reserve(ITEM, order);
			this.account.award(ACCOUNT, order);
		}

		public String xid(int order) {
			return this.xids.get(order);
		}

	}

}
