package io.dtx.samples.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures, in one run, what XA atomicity costs: the same two updates (one row in
 * PostgreSQL, one in MariaDB) through dtx, through Atomikos wired by hand, and as two
 * local transactions with no atomicity, the baseline. Prints throughput and JVM CPU per
 * transaction of each, and their ratios to the baseline.
 * <p>
 * Settings, as {@code --name=value} arguments or {@code -Dbench.name=value}:
 * {@code callers} (16), {@code warm-up} (5s, at least), {@code max-warm-up} (30s),
 * {@code measured} (10s), {@code accounts} (10000), {@code variants}
 * (dtx,hand-wired,baseline), {@code pg-url}, {@code pg-username}, {@code pg-password},
 * {@code mariadb-url}, {@code mariadb-username}, {@code mariadb-password},
 * {@code log-dir} (see {@link BenchmarkSettings}).
 */
public final class XaBenchmark {

	private XaBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		quietLogging();
		BenchmarkSettings settings = BenchmarkSettings.from(args);
		String problem = checkServers(settings);
		if (problem != null) {
			System.err.println("XaBenchmark cannot run: " + problem);
			System.err.println("It needs both servers (`bash .ci/databases` sets them up on this machine); "
					+ "point it elsewhere with -Dbench.pg-url=... and -Dbench.mariadb-url=...");
			System.exit(2);
		}
		Report report = new Report(settings);
		Accounts.prepare(settings.postgres(), settings.accounts());
		Accounts.prepare(settings.mariadb(), settings.accounts());
		List<Measurement> measurements = new ArrayList<>();
		for (String name : settings.variants()) {
			System.out.println(name + ": warming up, then " + Report.seconds(settings.measured()) + " measured");
			// one variant at a time: Atomikos runs once per JVM, so the previous one must be closed
			try (Variant variant = Variant.open(name, settings)) {
				measurements.add(Load.run(variant, settings));
			}
		}
		System.out.println();
		System.out.print(report.print(measurements));
		if (measurements.stream().anyMatch((each) -> each.errors() > 0 || !each.consistent())) {
			System.err.println("XaBenchmark: some transactions failed or did not reach both databases (see above)");
			System.exit(1);
		}
	}

	/**
	 * Keeps the libraries' INFO lines out of the table. Spring Boot is told to leave
	 * logging alone, or the dtx variant's context would reconfigure it for the whole JVM.
	 */
	private static void quietLogging() {
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
			logging.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
			logging.getLogger("com.atomikos").setLevel(Level.ERROR);
			logging.getLogger("org.flywaydb").setLevel(Level.ERROR);
		}
	}

	private static @Nullable String checkServers(BenchmarkSettings settings) {
		// a server behind a firewall should not hang the benchmark
		DriverManager.setLoginTimeout(10);
		for (Database database : List.of(settings.postgres(), settings.mariadb())) {
			try (Connection connection = database.connect()) {
				if (database == settings.postgres()) {
					int maxPrepared = maxPreparedTransactions(connection);
					if (maxPrepared < settings.callers()) {
						return database + " has max_prepared_transactions = " + maxPrepared + ", fewer than the "
								+ settings.callers() + " callers (raise it, then restart PostgreSQL)";
					}
				}
			}
			catch (SQLException ex) {
				return database + " (user " + database.username() + ") is unreachable: " + ex.getMessage();
			}
		}
		return null;
	}

	private static int maxPreparedTransactions(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("show max_prepared_transactions")) {
			result.next();
			return result.getInt(1);
		}
	}

}
