package io.dtx.samples.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The table every variant updates, {@code xa_bench_account}, with one row per account in
 * each database. Enough rows that callers picking at random seldom wait for each other's
 * row locks.
 */
final class Accounts {

	private Accounts() {
	}

	/**
	 * Creates the table if needed and fills it with accounts 1 to {@code count}, unless it
	 * already holds exactly those.
	 */
	static void prepare(Database database, int count) throws SQLException {
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			statement.execute("create table if not exists xa_bench_account (id int primary key, balance bigint not null)");
			if (query(statement, "select count(*) from xa_bench_account") == count
					&& query(statement, "select coalesce(max(id), 0) from xa_bench_account") == count) {
				return;
			}
			statement.execute("delete from xa_bench_account");
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection
				.prepareStatement("insert into xa_bench_account (id, balance) values (?, 0)")) {
				for (int id = 1; id <= count; id++) {
					insert.setInt(1, id);
					insert.addBatch();
					if (id % 1000 == 0 || id == count) {
						insert.executeBatch();
					}
				}
			}
			connection.commit();
		}
	}

	/**
	 * The sum of all balances: it grows by one per committed update.
	 */
	static long total(Database database) throws SQLException {
		try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
			return query(statement, "select coalesce(sum(balance), 0) from xa_bench_account");
		}
	}

	private static long query(Statement statement, String sql) throws SQLException {
		try (ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

}
