package io.dtx.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.jta.JtaTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Proves at start-up that the transaction manager dtx runs its local transactions with
 * really holds a transaction on the DataSource of dtx's tables. When it does not (a JTA
 * manager over a plain connection pool, or a manager of another DataSource), every
 * statement commits on its own: a fence row would commit without the business change it
 * guards, and nothing would say so until data was lost.
 */
public final class LocalTransactionCheck {

	private LocalTransactionCheck() {
	}

	/**
	 * Opens one transaction with the manager, takes a connection of the DataSource in it
	 * and checks that the connection belongs to that transaction.
	 * @throws IllegalStateException naming both beans when it does not
	 */
	public static void verify(DataSource dataSource, String dataSourceName, PlatformTransactionManager transactionManager,
			String transactionManagerName) {
		TransactionTemplate probe = new TransactionTemplate(transactionManager);
		probe.setReadOnly(true);
		String problem = probe.execute((status) -> problem(dataSource, transactionManager));
		if (problem != null) {
			throw new IllegalStateException("dtx runs its local transactions with the transaction manager '"
					+ transactionManagerName + "' (" + transactionManager.getClass().getName()
					+ "), but a connection of dtx's DataSource '" + dataSourceName + "' ("
					+ dataSource.getClass().getName() + ") " + problem
					+ ": each statement would commit on its own, and a fence row without the business change it "
					+ "guards. Use a transaction manager of that DataSource, or, with XA, point dtx.data-source at "
					+ "one of the dtx.xa.datasources.");
		}
	}

	private static @Nullable String problem(DataSource dataSource, PlatformTransactionManager transactionManager) {
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try (Statement enlisting = connection.createStatement()) {
			// XA pools (Atomikos) enlist a connection in the JTA transaction on its first statement
			if (connection.getAutoCommit()) {
				return "is in auto-commit mode inside one of its transactions";
			}
			// a JTA manager enlists the connection itself; Spring's own managers bind it
			if (!(transactionManager instanceof JtaTransactionManager)
					&& !DataSourceUtils.isConnectionTransactional(connection, dataSource)) {
				return "is not the one its transactions hold";
			}
			return null;
		}
		catch (SQLException ex) {
			return "could not be inspected (" + ex.getMessage() + ")";
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

}
