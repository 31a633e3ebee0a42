package io.dtx.tcc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.dtx.test.HotRowLedger;
import io.dtx.test.HotRowShop;
import io.dtx.test.HotRows;

import static io.dtx.test.HotRowShop.ACCOUNT;
import static io.dtx.test.HotRowShop.ITEM;

/**
 * A shop with one account and one item, which every order hits: funds frozen on the
 * account row, units reserved on the stock row, as two local TCC branches. Each effect
 * goes into the {@link HotRowLedger} with its order.
 */
class TccHotRowShop {

	static class Account extends HotRowShop.Row {

		Account(DataSource dataSource, HotRowLedger ledger) {
			super(dataSource, ledger, "create table hot_account (id varchar(20) primary key, balance int not null,"
					+ " frozen int not null)", "insert into hot_account values (?, ?, 0)", ACCOUNT);
		}

		@TccTry("freeze")
		public void freeze(String account, int order) {
			int amount = HotRows.amount(order);
			applyGuarded(order, "freeze", amount, "insufficient funds: " + account,
					"update hot_account set frozen = frozen + ? where id = ? and balance - frozen >= ?", amount,
					account, amount);
		}

		@Confirm("freeze")
		public void pay(String account, int order) {
			int amount = HotRows.amount(order);
			apply(order, "pay", amount,
					"update hot_account set balance = balance - ?, frozen = frozen - ? where id = ?", amount, amount,
					account);
		}

		@Cancel("freeze")
		public void unfreeze(String account, int order) {
			int amount = HotRows.amount(order);
			apply(order, "unfreeze", amount, "update hot_account set frozen = frozen - ? where id = ?", amount,
					account);
		}

		public int balance() {
			return read("select balance from hot_account where id = ?");
		}

		public int frozen() {
			return read("select frozen from hot_account where id = ?");
		}

	}

	static class Stock extends HotRowShop.Row {

		Stock(DataSource dataSource, HotRowLedger ledger) {
			super(dataSource, ledger, "create table hot_stock (item varchar(20) primary key, available int not null,"
					+ " reserved int not null)", "insert into hot_stock values (?, ?, 0)", ITEM);
		}

		@TccTry("reserve")
		public void reserve(String item, int order) {
			int quantity = HotRows.quantity(order);
			applyGuarded(order, "reserve", quantity, "out of stock: " + item,
					"update hot_stock set reserved = reserved + ? where item = ? and available - reserved >= ?",
					quantity, item, quantity);
		}

		@Confirm("reserve")
		public void ship(String item, int order) {
			int quantity = HotRows.quantity(order);
			apply(order, "ship", quantity,
					"update hot_stock set available = available - ?, reserved = reserved - ? where item = ?", quantity,
					quantity, item);
		}

		@Cancel("reserve")
		public void release(String item, int order) {
			int quantity = HotRows.quantity(order);
			apply(order, "release", quantity, "update hot_stock set reserved = reserved - ? where item = ?", quantity,
					item);
		}

		public int available() {
			return read("select available from hot_stock where item = ?");
		}

		public int reserved() {
			return read("select reserved from hot_stock where item = ?");
		}

	}

	/** What every fifth order throws once both its tries committed. */
	static class OrderRejectedException extends RuntimeException {

		OrderRejectedException(int order) {
			super("order " + order + " rejected after its tries");
		}

	}

	static class Orders extends HotRowShop.Ordering {

		private final Account account;

		private final Stock stock;

		// read through methods: a test holds the proxy, whose own fields are never set
		private final Map<Integer, RuntimeException> rejections = new ConcurrentHashMap<>();

		Orders(Account account, Stock stock) {
			this.account = account;
			this.stock = stock;
		}

		@TccTransaction(name = "hot-order")
		public void place(int order) {
			began(order);
			this.account.freeze(ACCOUNT, order);
			this.stock.reserve(ITEM, order);
			if (HotRows.failsByDesign(order)) {
				OrderRejectedException rejected = new OrderRejectedException(order);
				this.rejections.put(order, rejected);
				throw rejected;
			}
		}

		/** The very exception the order threw, if it failed by design. */
		public RuntimeException rejection(int order) {
			return this.rejections.get(order);
		}

	}

}
