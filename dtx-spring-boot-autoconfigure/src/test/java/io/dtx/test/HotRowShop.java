package io.dtx.test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.dtx.core.GlobalTransactionContext;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the TCC and saga hot-row shops share: the one account and one item every order
 * hits, a table of one row for each, and the orders' transaction ids. The shops keep their
 * own SQL and annotations, which is where they differ.
 */
public final class HotRowShop {

	public static final String ACCOUNT = "hot";

	public static final String ITEM = "hot";

	/** Enough that no order fails for lack of funds or stock: only by design. */
	public static final int OPENING = 1_000_000;

	private HotRowShop() {
	}

	/**
	 * A bean on one hot row, created with its table at {@link #OPENING}. Every change it
	 * applies goes into the {@link HotRowLedger} with its order, in the same local
	 * transaction. Readers stay in subclasses, as public methods a proxy passes on: a test
	 * holds the proxy, whose own fields are never set.
	 */
	public abstract static class Row {

		private final JdbcTemplate jdbc;

		private final HotRowLedger ledger;

		private final String id;

		/**
		 * Runs {@code createTable}, then {@code insertRow} with the row's {@code id} and
		 * {@link #OPENING}.
		 */
		protected Row(DataSource dataSource, HotRowLedger ledger, String createTable, String insertRow, String id) {
			this.jdbc = new JdbcTemplate(dataSource);
			this.ledger = ledger;
			this.id = id;
			this.jdbc.execute(createTable);
			this.jdbc.update(insertRow, id, OPENING);
		}

		/** Applies {@code update} and records {@code action} for the order. */
		protected void apply(int order, String action, int amount, String update, Object... args) {
			this.jdbc.update(update, args);
			this.ledger.record(order, action, amount);
		}

		/**
		 * Applies {@code update}, whose where clause guards the row, and records
		 * {@code action} for the order; throws {@code refusal} instead where the guard
		 * left the row alone.
		 */
		protected void applyGuarded(int order, String action, int amount, String refusal, String update,
				Object... args) {
			if (this.jdbc.update(update, args) == 0) {
				throw new IllegalStateException(refusal);
			}
			this.ledger.record(order, action, amount);
		}

		/** Runs {@code query}, which selects one int column of the row by its id. */
		protected int read(String query) {
			return this.jdbc.queryForObject(query, Integer.class, this.id);
		}

	}

	/**
	 * The orders bean's bookkeeping: the transaction id each order ran in, for a test to
	 * look its state up by.
	 */
	public abstract static class Ordering {

		// read through methods: a test holds the proxy, whose own fields are never set
		private final Map<Integer, String> xids = new ConcurrentHashMap<>();

		/** Notes the current global transaction's id as the order's; call it first thing. */
		protected void began(int order) {
			this.xids.put(order, GlobalTransactionContext.current().xid());
		}

		public String xid(int order) {
			return this.xids.get(order);
		}

	}

}
