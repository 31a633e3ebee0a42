package io.dtx.xa;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import io.dtx.test.DatabaseServer;
import io.dtx.test.MariaDbPreparedBranch;

/**
 * XA across a PostgreSQL and a MariaDB database.
 */
class PostgresMariaDbXaTests extends XaTransactionContractTests {

	@Override
	String[] orders() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		return new String[] { server.recreateDatabase("dtx_xa_orders"), server.username(), server.password() };
	}

	@Override
	String[] stock() {
		DatabaseServer server = DatabaseServer.MARIADB;
		return new String[] { server.recreateDatabase("dtx_xa_stock"), server.username(), server.password() };
	}

	@Override
	String slowStatement() {
		return "select pg_sleep(2)";
	}

	@Override
	int preparedBranches(String transactionManagerId) throws Exception {
		// the database's real name carries the build's suffix
		return count(DatabaseServer.POSTGRESQL.connect("dtx_xa_orders"),
				"select count(*) from pg_prepared_xacts where database = current_database()")
				+ MariaDbPreparedBranch.of(transactionManagerId).size();
	}

	static int count(Connection connection, String sql) throws Exception {
		try (connection; Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getInt(1);
		}
	}

}
