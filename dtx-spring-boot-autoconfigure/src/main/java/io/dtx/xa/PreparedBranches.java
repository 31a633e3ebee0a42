package io.dtx.xa;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.dtx.core.BranchIds;
import io.dtx.jdbc.DatabaseVendor;
import io.dtx.jdbc.PreparedTransactions;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * The prepared transactions of {@link XaBranch} methods in this service's database, one
 * per branch, each under the global id {@code dtx-<xid>-<branch id>}: so the database's
 * own list of prepared transactions says which global transaction and which branch each
 * belongs to, and what a crash left behind is found there, not in a log of dtx's that
 * could disagree with it. Phase two runs on a connection of its own in auto-commit, as
 * {@code COMMIT PREPARED} must.
 */
public final class PreparedBranches {

	static final String PREFIX = "dtx-";

	/**
	 * How many of the pool's connections branches leave to the rest: to decisions, phase
	 * two and dtx's own bookkeeping.
	 */
	static final int RESERVED_CONNECTIONS = 2;

	private static final boolean HIKARI = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			PreparedBranches.class.getClassLoader());

	// what a global id may hold (PreparedTransactions), less the separator after the xid
	private static final Pattern XID = Pattern.compile("[A-Za-z0-9._]+");

	private final DataSource dataSource;

	// on first use: an application that runs no branch may well be on a database that cannot prepare
	private final SingletonSupplier<PreparedTransactions> statements;

	private final SQLExceptionTranslator translator;

	// null where the pool's size is unknown
	private final @Nullable Semaphore branchConnections;

	/**
	 * @param dataSource the database the branches' SQL runs on
	 * @param vendor its vendor
	 */
	public PreparedBranches(DataSource dataSource, DatabaseVendor vendor) {
		this.dataSource = dataSource;
		this.statements = SingletonSupplier.of(() -> PreparedTransactions.of(vendor));
		this.translator = new SQLErrorCodeSQLExceptionTranslator(dataSource);
		int poolSize = poolSize(dataSource);
		this.branchConnections = (poolSize > 0) ? new Semaphore(Math.max(1, poolSize - RESERVED_CONNECTIONS), true)
				: null;
	}

	/**
	 * A connection for a branch to run on, once fewer than the pool's size less
	 * {@value #RESERVED_CONNECTIONS} branches hold one. Branches waiting for a row that a
	 * prepared branch locks each hold a connection meanwhile; were they to take them all,
	 * the decision that would release the row could not get one (PostgreSQL waits for a
	 * row lock for ever). Give it back with {@link #release}.
	 */
	Connection branchConnection() throws SQLException {
		if (this.branchConnections != null) {
			try {
				this.branchConnections.acquire();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new SQLException("interrupted while waiting for a connection for a branch", ex);
			}
		}
		try {
			return this.dataSource.getConnection();
		}
		catch (SQLException | RuntimeException ex) {
			if (this.branchConnections != null) {
				this.branchConnections.release();
			}
			throw ex;
		}
	}

	private static int poolSize(DataSource dataSource) {
		try {
			if (HIKARI && dataSource.isWrapperFor(HikariDataSource.class)) {
				return dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize();
			}
		}
		catch (SQLException ex) {
			// unknown: branches are not limited
		}
		return 0;
	}

	/**
	 * The database the branches' SQL runs on.
	 */
	public DataSource dataSource() {
		return this.dataSource;
	}

	/**
	 * The database's two-phase statements.
	 * @throws UnsupportedOperationException where it has none dtx can use (H2)
	 */
	PreparedTransactions statements() {
		return this.statements.obtain();
	}

	/**
	 * Gives back the connection a branch ran on, and its place among the branches. One to
	 * {@code discard} is closed for good, at once, and taken out of the pool: a session that
	 * stays attached to the transaction it prepared (MySQL/MariaDB) is of no use to anyone,
	 * and its going detaches the transaction, so that phase two can reach it from any
	 * session; so is one whose rollback failed.
	 */
	void release(Connection connection, boolean discard) throws SQLException {
		try {
			if (discard) {
				discard(connection);
			}
			else {
				connection.close();
			}
		}
		finally {
			if (this.branchConnections != null) {
				this.branchConnections.release();
			}
		}
	}

	private void discard(Connection connection) throws SQLException {
		connection.unwrap(Connection.class).close();
		if (HIKARI && this.dataSource.isWrapperFor(HikariDataSource.class)) {
			this.dataSource.unwrap(HikariDataSource.class).evictConnection(connection);
		}
		else {
			// another pool finds it closed when it validates it
			connection.close();
		}
	}

	/**
	 * The global id of a branch's prepared transaction; {@code null} where the transaction
	 * id cannot be part of one (it did not come from a dtx coordinator).
	 */
	static @Nullable String globalId(String xid, String branchId) {
		String globalId = PREFIX + xid + "-" + branchId;
		return (XID.matcher(xid).matches() && globalId.length() <= 64) ? globalId : null;
	}

	/**
	 * Commits the branch's prepared transaction; false where none is prepared under its
	 * id (committed before: a branch is prepared before its vote).
	 */
	boolean commit(String globalId) {
		return finish(globalId, true);
	}

	/**
	 * Rolls the branch's prepared transaction back; false where none is prepared under its
	 * id (rolled back before, or never prepared).
	 */
	boolean rollback(String globalId) {
		return finish(globalId, false);
	}

	/**
	 * Commits or rolls back every prepared branch of {@code xid} directly under
	 * {@code parentBranch} ({@code null} for the transaction's own); returns how many.
	 */
	int finishAll(String xid, @Nullable String parentBranch, boolean commit) {
		String prefix = PREFIX + xid + "-";
		List<String> prepared = run("list the prepared transactions", (connection) -> statements()
			.prepared(connection, prefix + ((parentBranch != null) ? parentBranch + "." : "")));
		int finished = 0;
		for (String globalId : prepared) {
			if (BranchIds.isDirectChild(globalId.substring(prefix.length()), parentBranch) && finish(globalId, commit)) {
				finished++;
			}
		}
		return finished;
	}

	private boolean finish(String globalId, boolean commit) {
		return run((commit ? "commit " : "roll back ") + globalId, (connection) -> commit
				? statements().commit(connection, globalId) : statements().rollback(connection, globalId));
	}

	// never a connection bound to the thread: these statements run outside any transaction
	private <T> T run(String task, Statements<T> statements) {
		try (Connection connection = this.dataSource.getConnection()) {
			return statements.run(connection);
		}
		catch (SQLException ex) {
			throw translate(task, ex);
		}
	}

	RuntimeException translate(String task, SQLException ex) {
		RuntimeException translated = this.translator.translate(task, null, ex);
		return (translated != null) ? translated : new IllegalStateException(task + ": " + ex, ex);
	}

	@FunctionalInterface
	private interface Statements<T> {

		T run(Connection connection) throws SQLException;

	}

}
