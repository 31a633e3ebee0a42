package io.dtx.samples.bench;

import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The baseline: each update in a local transaction of its own (autocommit) on a HikariCP
 * pool, so nothing keeps the two databases in step. What atomicity costs is measured
 * against this.
 */
final class LocalTransactionsVariant implements Variant {

	static final String NAME = "baseline";

	private final HikariDataSource postgres;

	private final HikariDataSource mariadb;

	LocalTransactionsVariant(BenchmarkSettings settings) {
		this.postgres = pool("bench-baseline-pg", settings.postgres(), settings.callers());
		this.mariadb = pool("bench-baseline-maria", settings.mariadb(), settings.callers());
	}

	private static HikariDataSource pool(String name, Database database, int callers) {
		HikariDataSource pool = new HikariDataSource();
		pool.setPoolName(name);
		pool.setJdbcUrl(database.url());
		pool.setUsername(database.username());
		pool.setPassword(database.password());
		pool.setMinimumIdle(callers);
		pool.setMaximumPoolSize(callers);
		return pool;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public void transaction(int postgresAccount, int mariadbAccount) throws SQLException {
		Variant.update(this.postgres, postgresAccount);
		Variant.update(this.mariadb, mariadbAccount);
	}

	@Override
	public void close() {
		this.postgres.close();
		this.mariadb.close();
	}

}
