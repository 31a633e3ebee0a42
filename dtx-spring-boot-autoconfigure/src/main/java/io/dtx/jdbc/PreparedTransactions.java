package io.dtx.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A database's own two-phase commit, one local transaction at a time, on a plain JDBC
 * connection: a transaction begun under a global id, prepared (from then on it survives
 * its connection and the server's restart, its row locks held), and committed or rolled
 * back later from any connection. What the rigid modes across services build on: each
 * service's database holds its prepared branch until the initiator decides.
 * <ul>
 * <li>PostgreSQL: {@code PREPARE TRANSACTION}, {@code COMMIT PREPARED},
 * {@code ROLLBACK PREPARED}, listed in {@code pg_prepared_xacts}; the server needs
 * {@code max_prepared_transactions > 0}.</li>
 * <li>MySQL/MariaDB: {@code XA START}, {@code XA END}, {@code XA PREPARE}, {@code XA COMMIT},
 * {@code XA ROLLBACK}, listed by {@code XA RECOVER}.</li>
 * </ul>
 * Global ids are written into the statements (none of them takes a parameter), so only
 * letters, digits, {@code .}, {@code _} and {@code -} are accepted, at most 64 of them.
 */
public abstract class PreparedTransactions {

	private static final Pattern GLOBAL_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private PreparedTransactions() {
	}

	/**
	 * The two-phase statements of {@code vendor}.
	 * @throws UnsupportedOperationException where the vendor has none dtx can use (H2)
	 */
	public static PreparedTransactions of(DatabaseVendor vendor) {
		return switch (vendor) {
			case POSTGRESQL -> new Postgres();
			case MYSQL -> new MySql();
			case H2 -> throw new UnsupportedOperationException(
					"H2 cannot hold a prepared transaction for another service's decision; use PostgreSQL or MySQL/MariaDB");
		};
	}

	/**
	 * Begins a transaction on {@code connection} under {@code globalId}: what the connection
	 * runs until {@link #prepare} belongs to it.
	 */
	public abstract void begin(Connection connection, String globalId) throws SQLException;

	/**
	 * Prepares the transaction begun under {@code globalId}: from now on it is the database's,
	 * and outlives the connection. Where {@link #preparedKeepsConnection()}, the connection
	 * can do nothing else until it is closed; otherwise it is free for other work (in
	 * auto-commit).
	 * @throws SQLException where it cannot be prepared; then it is rolled back
	 */
	public abstract void prepare(Connection connection, String globalId) throws SQLException;

	/**
	 * Whether a prepared transaction stays attached to the session that prepared it, which
	 * refuses every other statement until it disconnects (MySQL/MariaDB): its connection
	 * must then be closed, not handed back to a pool.
	 */
	public abstract boolean preparedKeepsConnection();

	/**
	 * Rolls back the transaction begun under {@code globalId} and not prepared, leaving the
	 * connection free for other work (in auto-commit).
	 */
	public abstract void abandon(Connection connection, String globalId) throws SQLException;

	/**
	 * Commits the prepared transaction; false where none of that id is prepared (committed
	 * or rolled back before, or never prepared).
	 */
	public abstract boolean commit(Connection connection, String globalId) throws SQLException;

	/**
	 * Rolls the prepared transaction back; false where none of that id is prepared.
	 */
	public abstract boolean rollback(Connection connection, String globalId) throws SQLException;

	/**
	 * The ids of the transactions prepared in this database whose ids start with
	 * {@code prefix}: after a crash, what waits for a decision.
	 */
	public abstract List<String> prepared(Connection connection, String prefix) throws SQLException;

	static String checked(String globalId) {
		if (!GLOBAL_ID.matcher(globalId).matches()) {
			throw new IllegalArgumentException("'" + globalId + "' is no global id of a prepared transaction: letters,"
					+ " digits, '.', '_' and '-' only, 1 to 64 of them");
		}
		return globalId;
	}

	static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static final class Postgres extends PreparedTransactions {

		// undefined_object: "prepared transaction with identifier ... does not exist"
		private static final String NO_SUCH_PREPARED = "42704";

		@Override
		public void begin(Connection connection, String globalId) throws SQLException {
			checked(globalId);
			connection.setAutoCommit(false);
		}

		@Override
		public void prepare(Connection connection, String globalId) throws SQLException {
			try {
				execute(connection, "prepare transaction '" + checked(globalId) + "'");
			}
			finally {
				// prepared or rolled back, the session is out of its transaction either way
				connection.setAutoCommit(true);
			}
			// a transaction that failed earlier (an error someone caught) is rolled back by
			// PREPARE TRANSACTION, which says so only in its command tag
			if (!prepared(connection, globalId).contains(globalId)) {
				throw new SQLException("Transaction " + globalId + " was rolled back instead of prepared: one of its"
						+ " statements had failed");
			}
		}

		@Override
		public boolean preparedKeepsConnection() {
			return false;
		}

		@Override
		public void abandon(Connection connection, String globalId) throws SQLException {
			try {
				connection.rollback();
			}
			finally {
				connection.setAutoCommit(true);
			}
		}

		@Override
		public boolean commit(Connection connection, String globalId) throws SQLException {
			return finish(connection, "commit prepared '" + checked(globalId) + "'");
		}

		@Override
		public boolean rollback(Connection connection, String globalId) throws SQLException {
			return finish(connection, "rollback prepared '" + checked(globalId) + "'");
		}

		// never inside a transaction block, which PostgreSQL refuses for these
		private static boolean finish(Connection connection, String sql) throws SQLException {
			connection.setAutoCommit(true);
			try {
				execute(connection, sql);
				return true;
			}
			catch (SQLException ex) {
				if (NO_SUCH_PREPARED.equals(ex.getSQLState())) {
					return false;
				}
				throw ex;
			}
		}

		@Override
		public List<String> prepared(Connection connection, String prefix) throws SQLException {
			List<String> prepared = new ArrayList<>();
			try (var statement = connection.prepareStatement(
					"select gid from pg_prepared_xacts where database = current_database() and gid like ? order by prepared")) {
				statement.setString(1, prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
				try (ResultSet rows = statement.executeQuery()) {
					while (rows.next()) {
						prepared.add(rows.getString(1));
					}
				}
			}
			return prepared;
		}

	}

	private static final class MySql extends PreparedTransactions {

		// XAER_NOTA: "Unknown XID"
		private static final int NO_SUCH_XID = 1397;

		@Override
		public void begin(Connection connection, String globalId) throws SQLException {
			connection.setAutoCommit(true);
			execute(connection, "xa start '" + checked(globalId) + "'");
		}

		@Override
		public void prepare(Connection connection, String globalId) throws SQLException {
			String id = "'" + checked(globalId) + "'";
			execute(connection, "xa end " + id);
			try {
				execute(connection, "xa prepare " + id);
			}
			catch (SQLException ex) {
				// not prepared: ended but still the connection's, which must be free again
				try {
					execute(connection, "xa rollback " + id);
				}
				catch (SQLException rollback) {
					ex.addSuppressed(rollback);
				}
				throw ex;
			}
		}

		// "XAER_RMFAIL: The command cannot be executed when global transaction is in the PREPARED
		// state" until the session ends, which detaches the transaction (MariaDB 10.5, MySQL 5.7.7)
		@Override
		public boolean preparedKeepsConnection() {
			return true;
		}

		@Override
		public void abandon(Connection connection, String globalId) throws SQLException {
			String id = "'" + checked(globalId) + "'";
			try {
				execute(connection, "xa end " + id);
			}
			catch (SQLException ex) {
				// the server rolled it back already (a deadlock): the rollback below finds none
			}
			finish(connection, "xa rollback " + id, globalId);
		}

		@Override
		public boolean commit(Connection connection, String globalId) throws SQLException {
			return finish(connection, "xa commit '" + checked(globalId) + "'", globalId);
		}

		@Override
		public boolean rollback(Connection connection, String globalId) throws SQLException {
			return finish(connection, "xa rollback '" + checked(globalId) + "'", globalId);
		}

		private boolean finish(Connection connection, String sql, String globalId) throws SQLException {
			try {
				execute(connection, sql);
				return true;
			}
			catch (SQLException ex) {
				if (ex.getErrorCode() != NO_SUCH_XID) {
					throw ex;
				}
				// also the answer for one still attached to the session that prepared it, which
				// XA RECOVER lists: that one is decided once its session has gone
				if (prepared(connection, globalId).contains(globalId)) {
					throw new SQLException("Transaction " + globalId + " is prepared but still attached to the "
							+ "session that prepared it; it can be decided once that session has disconnected", ex);
				}
				return false;
			}
		}

		// XA RECOVER lists the whole server's, with the global id and the branch qualifier run
		// together in data; dtx's have no qualifier
		@Override
		public List<String> prepared(Connection connection, String prefix) throws SQLException {
			List<String> prepared = new ArrayList<>();
			try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("xa recover")) {
				while (rows.next()) {
					String data = rows.getString("data");
					if (rows.getInt("bqual_length") == 0 && data != null && data.startsWith(prefix)) {
						prepared.add(data);
					}
				}
			}
			return prepared;
		}

	}

}
