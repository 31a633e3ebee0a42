package io.dtx.saga;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.dtx.test.HotRowLedger;
import io.dtx.test.HotRowShop;
import io.dtx.test.HotRows;

import static io.dtx.test.HotRowShop.ACCOUNT;
import static io.dtx.test.HotRowShop.ITEM;

/**
 * A shop with one account and one item, which every order hits, as a saga of three steps:
 * charge the account, reserve the item, award points on the account. Awarding points is
 * refused for every fifth order, after it changed the row, so that its rollback shows.
 * Each effect goes into the {@link HotRowLedger} with its order.
 */
class SagaHotRowShop {

	/** What the last step of every fifth order throws. */
	static class PointsRefusedException extends RuntimeException {

		PointsRefusedException(int order) {
			super("points refused for order " + order);
		}

	}

	static class Account extends HotRowShop.Row {

		// read through methods: a test holds the proxy, whose own fields are never set
		private final Map<Integer, RuntimeException> refusals = new ConcurrentHashMap<>();

		Account(DataSource dataSource, HotRowLedger ledger) {
			super(dataSource, ledger, "create table hot_account (id varchar(20) primary key, balance int not null,"
					+ " points int not null)", "insert into hot_account values (?, ?, 0)", ACCOUNT);
		}

		@SagaStep(compensate = "refund")
		public void charge(String account, int order) {
			int amount = HotRows.amount(order);
			applyGuarded(order, "charge", amount, "insufficient funds: " + account,
					"update hot_account set balance = balance - ? where id = ? and balance >= ?", amount, account,
					amount);
		}

		public void refund(String account, int order) {
			int amount = HotRows.amount(order);
			apply(order, "refund", amount, "update hot_account set balance = balance + ? where id = ?", amount,
					account);
		}

		@SagaStep(compensate = "revoke")
		public void award(String account, int order) {
			int points = HotRows.quantity(order);
			apply(order, "award", points, "update hot_account set points = points + ? where id = ?", points, account);
			if (HotRows.failsByDesign(order)) {
				PointsRefusedException refused = new PointsRefusedException(order);
				this.refusals.put(order, refused);
				throw refused;
			}
		}

		public void revoke(String account, int order) {
			int points = HotRows.quantity(order);
			apply(order, "revoke", points, "update hot_account set points = points - ? where id = ?", points,
					account);
		}

		/** The very exception the order's last step threw, if it failed by design. */
		public RuntimeException refusal(int order) {
			return this.refusals.get(order);
		}

		public int balance() {
			return read("select balance from hot_account where id = ?");
		}

		public int points() {
			return read("select points from hot_account where id = ?");
		}

	}

	static class Stock extends HotRowShop.Row {

		Stock(DataSource dataSource, HotRowLedger ledger) {
			super(dataSource, ledger, "create table hot_stock (item varchar(20) primary key, available int not null)",
					"insert into hot_stock values (?, ?)", ITEM);
		}

		@SagaStep(compensate = "release")
		public void reserve(String item, int order) {
			int quantity = HotRows.quantity(order);
			applyGuarded(order, "reserve", quantity, "out of stock: " + item,
					"update hot_stock set available = available - ? where item = ? and available >= ?", quantity, item,
					quantity);
		}

		public void release(String item, int order) {
			int quantity = HotRows.quantity(order);
			apply(order, "release", quantity, "update hot_stock set available = available + ? where item = ?",
					quantity, item);
		}

		public int available() {
			return read("select available from hot_stock where item = ?");
		}

	}

	static class Orders extends HotRowShop.Ordering {

		private final Account account;

		private final Stock stock;

		Orders(Account account, Stock stock) {
			this.account = account;
			this.stock = stock;
		}

		@Saga(name = "hot-order")
		public void place(int order) {
			began(order);
			this.account.charge(ACCOUNT, order);
			this.stock.reserve(ITEM, order);
			this.account.award(ACCOUNT, order);
		}

	}

}
