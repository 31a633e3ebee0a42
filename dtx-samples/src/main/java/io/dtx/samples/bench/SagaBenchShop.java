package io.dtx.samples.bench;

import javax.sql.DataSource;

import io.dtx.saga.Saga;
import io.dtx.saga.SagaStep;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The saga benchmark's shop: an order is a saga of three local steps, each one UPDATE of
 * a random row (debit an account, take stock, grant loyalty points), each compensated by
 * the opposite UPDATE.
 */
final class SagaBenchShop {

	static final String DEBIT = "update saga_bench_account set balance = balance - ? where id = ?";

	static final String TAKE = "update saga_bench_stock set available = available - ? where id = ?";

	static final String GRANT = "update saga_bench_loyalty set points = points + ? where id = ?";

	private SagaBenchShop() {
	}

	/**
	 * The three business UPDATEs, each its own local transaction: the baseline.
	 */
	static void plain(JdbcTemplate jdbc, int account, int amount, int item, int quantity) {
		TccBenchShop.updateOne(jdbc, DEBIT, amount, account);
		TccBenchShop.updateOne(jdbc, TAKE, quantity, item);
		TccBenchShop.updateOne(jdbc, GRANT, amount, account);
	}

	public static class Steps {

		private final JdbcTemplate jdbc;

		public Steps(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@SagaStep(compensate = "credit")
		public void debit(int account, int amount) {
			TccBenchShop.updateOne(this.jdbc, DEBIT, amount, account);
		}

		public void credit(int account, int amount) {
			TccBenchShop.updateOne(this.jdbc, DEBIT, -amount, account);
		}

		@SagaStep(compensate = "putBack")
		public void take(int item, int quantity) {
			TccBenchShop.updateOne(this.jdbc, TAKE, quantity, item);
		}

		public void putBack(int item, int quantity) {
			TccBenchShop.updateOne(this.jdbc, TAKE, -quantity, item);
		}

		@SagaStep(compensate = "withdraw")
		public void grant(int account, int points) {
			TccBenchShop.updateOne(this.jdbc, GRANT, points, account);
		}

		public void withdraw(int account, int points) {
			TccBenchShop.updateOne(this.jdbc, GRANT, -points, account);
		}

	}

	public static class Orders {

		private final Steps steps;

		public Orders(Steps steps) {
			this.steps = steps;
		}

		@Saga(name = "bench-order", timeout = "30s")
		public void order(int account, int amount, int item, int quantity) {
			this.steps.debit(account, amount);
			this.steps.take(item, quantity);
			this.steps.grant(account, amount);
		}

	}

}
