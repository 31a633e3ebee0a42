package io.dtx.test;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Connection pools for the contract tests, which race several sessions on one database.
 */
public final class Pools {

	private Pools() {
	}

	/**
	 * A pool of at most {@code size} connections to {@code database}: its JDBC URL, user
	 * and password, as a contract test's {@code emptyDatabase()} gives them.
	 */
	public static HikariDataSource of(String[] database, int size) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(database[0]);
		dataSource.setUsername(database[1]);
		dataSource.setPassword(database[2]);
		dataSource.setMaximumPoolSize(size);
		return dataSource;
	}

}
