package io.dtx.samples.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

/**
 * One way of running the benchmark's transaction: update one account in PostgreSQL and
 * one in MariaDB. Open from construction to {@link #close()}.
 */
interface Variant extends AutoCloseable {

	/**
	 * The variants, in the order a run measures them by default.
	 */
	List<String> NAMES = List.of(DtxVariant.NAME, HandWiredAtomikosVariant.NAME, LocalTransactionsVariant.NAME);

	/**
	 * The statement run once in each database, its account id as only parameter.
	 */
	String UPDATE = "update xa_bench_account set balance = balance + 1 where id = ?";

	String name();

	/**
	 * Runs {@link #UPDATE} for one account over a connection of the data source, plain
	 * JDBC: in whatever transaction the connection is enlisted, or in its own.
	 */
	static void update(DataSource dataSource, int account) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement update = connection.prepareStatement(UPDATE)) {
			update.setInt(1, account);
			update.executeUpdate();
		}
	}

	/**
	 * Runs one transaction; a transaction that fails throws, and is rolled back.
	 */
	void transaction(int postgresAccount, int mariadbAccount) throws Exception;

	@Override
	void close() throws Exception;

	static Variant open(String name, BenchmarkSettings settings) throws Exception {
		return switch (name) {
			case DtxVariant.NAME -> new DtxVariant(settings);
			case HandWiredAtomikosVariant.NAME -> new HandWiredAtomikosVariant(settings);
			case LocalTransactionsVariant.NAME -> new LocalTransactionsVariant(settings);
			default -> throw new IllegalArgumentException("Unknown variant '" + name + "'; the variants are " + NAMES);
		};
	}

}
