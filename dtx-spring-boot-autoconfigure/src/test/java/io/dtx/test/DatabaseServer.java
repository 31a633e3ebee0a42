package io.dtx.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The database servers of this machine that tests run against. A test calls
 * {@link #assumeAvailable()} first: when the server is absent the test is skipped with a
 * message saying so, unless {@code CI=true}, where it fails, since CI must run them all.
 */
public enum DatabaseServer {

	/** PostgreSQL with prepared transactions enabled (see .ci/databases). */
	POSTGRESQL("PostgreSQL", "jdbc:postgresql://127.0.0.1:5432/", "postgres", "postgres"),

	/** A second PostgreSQL cluster, left at max_prepared_transactions = 0. */
	POSTGRESQL_WITHOUT_XA("PostgreSQL (max_prepared_transactions = 0)", "jdbc:postgresql://127.0.0.1:5433/",
			"postgres", "postgres"),

	MARIADB("MariaDB", "jdbc:mariadb://127.0.0.1:3306/", "root", "");

	private final String title;

	private final String baseUrl;

	private final String username;

	private final String adminDatabase;

	DatabaseServer(String title, String baseUrl, String username, String adminDatabase) {
		this.title = title;
		this.baseUrl = baseUrl;
		this.username = username;
		this.adminDatabase = adminDatabase;
	}

	public static boolean requiredByCi() {
		return "true".equalsIgnoreCase(System.getenv("CI"));
	}

	public String username() {
		return this.username;
	}

	public String password() {
		return "";
	}

	public String url(String database) {
		return this.baseUrl + name(database);
	}

	/**
	 * The name a test's database really has: {@code DTX_TEST_DATABASE_SUFFIX} appended, so
	 * that builds of several work trees on one machine never share a test database. The
	 * server's own administration database keeps its name.
	 */
	private String name(String database) {
		if (database.isEmpty() || database.equals(this.adminDatabase)) {
			return database;
		}
		return database + suffix();
	}

	/**
	 * {@code DTX_TEST_DATABASE_SUFFIX} followed by the {@link TestFork}'s name, or the
	 * empty string: what tells this work tree's and this fork's test databases, and
	 * whatever else its tests leave on a shared server (such as the XA branches MariaDB
	 * lists server-wide), from those of another.
	 */
	public static String suffix() {
		String suffix = System.getenv("DTX_TEST_DATABASE_SUFFIX");
		if (suffix == null) {
			suffix = "";
		}
		if (!suffix.matches("[a-z0-9_]*")) {
			throw new IllegalStateException("DTX_TEST_DATABASE_SUFFIX may hold only a-z, 0-9 and _: " + suffix);
		}
		return suffix + TestFork.name();
	}

	/**
	 * Skips the calling test (fails it under CI=true) unless the server answers, and, for
	 * {@link #POSTGRESQL}, unless it accepts prepared transactions.
	 */
	public void assumeAvailable() {
		String problem = problem();
		if (problem == null) {
			return;
		}
		String message = this.title + " at " + this.baseUrl + " " + problem;
		if (requiredByCi()) {
			Assertions.fail(message + " (CI=true: this test is required; .ci/databases sets the servers up)");
		}
		Assumptions.abort("SKIPPED: " + message + ". Run `bash .ci/databases` to set the servers up.");
	}

	/**
	 * Drops and creates a database of the given name, and returns its JDBC URL.
	 */
	public String recreateDatabase(String database) {
		assumeAvailable();
		String name = name(database);
		if (this != MARIADB) {
			rollBackPreparedIn(database);
		}
		execute((this == MARIADB) ? "drop database if exists " + name : "drop database if exists " + name
				+ " with (force)");
		execute("create database " + name);
		return url(database);
	}

	/**
	 * A new empty database of the given name: its JDBC URL, user and password, as the
	 * contract tests take them.
	 */
	public String[] emptyDatabase(String database) {
		return new String[] { recreateDatabase(database), this.username, password() };
	}

	/**
	 * The isolation level a session gets by default, as {@link #isolationQuery()} names it.
	 */
	public String defaultIsolation() {
		return (this == MARIADB) ? "REPEATABLE-READ" : "read committed";
	}

	/**
	 * The query that names the session's isolation level.
	 */
	public String isolationQuery() {
		return (this == MARIADB) ? "select @@tx_isolation" : "show transaction_isolation";
	}

	/**
	 * The query that counts the sessions on the database it runs in that wait for a lock in
	 * a statement beginning with {@code statement} (which must hold no quote).
	 */
	public String lockWaitersQuery(String statement) {
		return (this == MARIADB)
				? "select count(*) from information_schema.innodb_trx where trx_state = 'LOCK WAIT' and trx_query like '"
						+ statement + "%' and trx_mysql_thread_id in"
						+ " (select id from information_schema.processlist where db = database())"
				: "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '" + statement
						+ "%' and datname = current_database()";
	}

	/**
	 * A {@link JdbcTemplate} on the database, one connection per statement: what a test
	 * reads while services in other JVMs write.
	 */
	public JdbcTemplate jdbcTemplate(String database) {
		return new JdbcTemplate(new DriverManagerDataSource(url(database), this.username, password()));
	}

	public Connection connect(String database) throws SQLException {
		return DriverManager.getConnection(url(database), this.username, password());
	}

	// PostgreSQL will not drop a database that holds prepared transactions, such as those a
	// failed run of a test left; they are rolled back from a session on that database
	private void rollBackPreparedIn(String database) {
		List<String> prepared = jdbcTemplate(this.adminDatabase).queryForList(
				"select gid from pg_prepared_xacts where database = ?", String.class, name(database));
		if (!prepared.isEmpty()) {
			JdbcTemplate jdbc = jdbcTemplate(database);
			prepared.forEach((gid) -> jdbc.execute("rollback prepared '" + gid.replace("'", "''") + "'"));
		}
	}

	private void execute(String sql) {
		try (Connection connection = connect(this.adminDatabase); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + " failed on " + this.title + ": " + ex.getMessage(), ex);
		}
	}

	private String problem() {
		try (Connection connection = connect(this.adminDatabase)) {
			if (this == POSTGRESQL) {
				try (Statement statement = connection.createStatement();
						ResultSet result = statement.executeQuery("show max_prepared_transactions")) {
					result.next();
					if (result.getInt(1) == 0) {
						return "has max_prepared_transactions = 0, so XA cannot work";
					}
				}
			}
			return null;
		}
		catch (SQLException ex) {
			return "is not reachable (" + ex.getMessage() + ")";
		}
	}

}
