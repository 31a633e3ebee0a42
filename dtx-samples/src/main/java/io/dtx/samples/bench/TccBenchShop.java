package io.dtx.samples.bench;

import javax.sql.DataSource;

import io.dtx.tcc.Cancel;
import io.dtx.tcc.Confirm;
import io.dtx.tcc.TccTransaction;
import io.dtx.tcc.TccTry;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The benchmark's shop: an order freezes funds on an account and reserves stock of an
 * item, two TCC branches in the same PostgreSQL database. The SQL is shared with the
 * plain-JDBC baselines, so that every variant runs exactly the same business statements.
 */
final class TccBenchShop {

	static final String FREEZE = "update tcc_bench_account set frozen = frozen + ? where id = ?";

	static final String PAY = "update tcc_bench_account set balance = balance - ?, frozen = frozen - ? where id = ?";

	static final String UNFREEZE = "update tcc_bench_account set frozen = frozen - ? where id = ?";

	static final String RESERVE = "update tcc_bench_stock set reserved = reserved + ? where id = ?";

	static final String TAKE = "update tcc_bench_stock set available = available - ?, reserved = reserved - ?"
			+ " where id = ?";

	static final String RELEASE = "update tcc_bench_stock set reserved = reserved - ? where id = ?";

	private TccBenchShop() {
	}

	/**
	 * Runs one business statement that must change exactly one row: a row that is missing
	 * would make the benchmark measure nothing, so it fails loudly instead.
	 */
	static void updateOne(JdbcTemplate jdbc, String sql, Object... arguments) {
		int updated = jdbc.update(sql, arguments);
		if (updated != 1) {
			throw new IllegalStateException(updated + " rows changed by " + sql);
		}
	}

	/**
	 * The funds participant: the try freezes an amount, the confirm pays it.
	 */
	public static class Accounts {

		private final JdbcTemplate jdbc;

		public Accounts(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@TccTry("freeze")
		public void freeze(int id, int amount) {
			updateOne(this.jdbc, FREEZE, amount, id);
		}

		@Confirm("freeze")
		public void pay(int id, int amount) {
			updateOne(this.jdbc, PAY, amount, amount, id);
		}

		@Cancel("freeze")
		public void unfreeze(int id, int amount) {
			updateOne(this.jdbc, UNFREEZE, amount, id);
		}

	}

	/**
	 * The stock participant: the try reserves a quantity, the confirm takes it.
	 */
	public static class Stock {

		private final JdbcTemplate jdbc;

		public Stock(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@TccTry("reserve")
		public void reserve(int id, int quantity) {
			updateOne(this.jdbc, RESERVE, quantity, id);
		}

		@Confirm("reserve")
		public void take(int id, int quantity) {
			updateOne(this.jdbc, TAKE, quantity, quantity, id);
		}

		@Cancel("reserve")
		public void release(int id, int quantity) {
			updateOne(this.jdbc, RELEASE, quantity, id);
		}

	}

	/**
	 * The global transaction: both tries, confirmed by dtx when the method returns.
	 */
	public static class Orders {

		private final Accounts accounts;

		private final Stock stock;

		public Orders(Accounts accounts, Stock stock) {
			this.accounts = accounts;
			this.stock = stock;
		}

		@TccTransaction(name = "bench-order")
		public void order(int account, int amount, int item, int quantity) {
			this.accounts.freeze(account, amount);
			this.stock.reserve(item, quantity);
		}

	}

}
