package io.dtx.tcc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.dtx.core.GlobalTransactionContext;
import io.dtx.test.HotRowLedger;
import io.dtx.test.HotRows;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A shop with one account and one item, which every order hits: funds frozen on the
 * account row, units reserved on the stock row, as two local TCC branches. Each effect
 * goes into the {@link HotRowLedger} with its order.
 */
class TccHotRowShop {

	static final String ACCOUNT = "hot";

	static final String ITEM = "hot";

	/** Enough that no order fails for lack of funds or stock: only by design. */
	static final int OPENING = 1_000_000;

	static class Account {

		private final JdbcTemplate jdbc;

		private final HotRowLedger ledger;

		Account(DataSource dataSource, HotRowLedger ledger) {
			this.jdbc = new JdbcTemplate(dataSource);
			this.ledger = ledger;
			this.jdbc.execute("create table hot_account (id varchar(20) primary key, balance int not null,"
					+ " frozen int not null)");
			this.jdbc.update("insert into hot_account values (?, ?, 0)", ACCOUNT, OPENING);
		}

		@TccTry("freeze")
		public void freeze(String account, int order) {
			int amount = HotRows.amount(order);
			if (this.jdbc.update("update hot_account set frozen = frozen + ? where id = ? and balance - frozen >= ?",
					amount, account, amount) == 0) {
				throw new IllegalStateException("insufficient funds: " + account);
			}
			this.ledger.record(order, "freeze", amount);
		}

		@Confirm("freeze")
		public void pay(String account, int order) {
			int amount = HotRows.amount(order);
			this.jdbc.update("update hot_account set balance = balance - ?, frozen = frozen - ? where id = ?", amount,
					amount, account);
			this.ledger.record(order, "pay", amount);
		}

		@Cancel("freeze")
		public void unfreeze(String account, int order) {
			int amount = HotRows.amount(order);
			this.jdbc.update("update hot_account set frozen = frozen - ? where id = ?", amount, account);
			this.ledger.record(order, "unfreeze", amount);
		}

		public int balance() {
			return this.jdbc.queryForObject("select balance from hot_account where id = ?", Integer.class, ACCOUNT);
		}

		public int frozen() {
			return this.jdbc.queryForObject("select frozen from hot_account where id = ?", Integer.class, ACCOUNT);
		}

	}

	static class Stock {

		private final JdbcTemplate jdbc;

		private final HotRowLedger ledger;

		Stock(DataSource dataSource, HotRowLedger ledger) {
			this.jdbc = new JdbcTemplate(dataSource);
			this.ledger = ledger;
			this.jdbc.execute("create table hot_stock (item varchar(20) primary key, available int not null,"
					+ " reserved int not null)");
			this.jdbc.update("insert into hot_stock values (?, ?, 0)", ITEM, OPENING);
		}

		@TccTry("reserve")
		public void reserve(String item, int order) {
			int quantity = HotRows.quantity(order);
			if (this.jdbc.update("update hot_stock set reserved = reserved + ? where item = ?"
					+ " and available - reserved >= ?", quantity, item, quantity) == 0) {
				throw new IllegalStateException("out of stock: " + item);
			}
			this.ledger.record(order, "reserve", quantity);
		}

		@Confirm("reserve")
		public void ship(String item, int order) {
			int quantity = HotRows.quantity(order);
			this.jdbc.update("update hot_stock set available = available - ?, reserved = reserved - ? where item = ?",
					quantity, quantity, item);
			this.ledger.record(order, "ship", quantity);
		}

		@Cancel("reserve")
		public void release(String item, int order) {
			int quantity = HotRows.quantity(order);
			this.jdbc.update("update hot_stock set reserved = reserved - ? where item = ?", quantity, item);
			this.ledger.record(order, "release", quantity);
		}

		public int available() {
			return this.jdbc.queryForObject("select available from hot_stock where item = ?", Integer.class, ITEM);
		}

		public int reserved() {
			return this.jdbc.queryForObject("select reserved from hot_stock where item = ?", Integer.class, ITEM);
		}

	}

	/** What every fifth order throws once both its tries committed. */
	static class OrderRejectedException extends RuntimeException {

		OrderRejectedException(int order) {
			super("order " + order + " rejected after its tries");
		}

	}

	static class Orders {

		private final Account account;

		private final Stock stock;

		// read through methods: a test holds the proxy, whose own fields are never set
		private final Map<Integer, String> xids = new ConcurrentHashMap<>();

		private final Map<Integer, RuntimeException> rejections = new ConcurrentHashMap<>();

		Orders(Account account, Stock stock) {
			this.account = account;
			this.stock = stock;
		}

		@TccTransaction(name = "hot-order")
		public void place(int order) {
			this.xids.put(order, GlobalTransactionContext.current().xid());
			this.account.freeze(ACCOUNT, order);
			this.stock.reserve(ITEM, order);
			if (HotRows.failsByDesign(order)) {
				OrderRejectedException rejected = new OrderRejectedException(order);
				this.rejections.put(order, rejected);
				throw rejected;
			}
		}

		public String xid(int order) {
			return this.xids.get(order);
		}

		/** The very exception the order threw, if it failed by design. */
		public RuntimeException rejection(int order) {
			return this.rejections.get(order);
		}

	}

}
