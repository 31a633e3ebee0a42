package io.dtx.test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The database server of a test stopped, as an outage, and started again when the
 * outage is closed. A server is never left stopped: {@link #close()} starts it, a test
 * class calls {@link #endAll()} after each test for an outage a failed test left open, and
 * a JVM shutdown hook starts whatever is still stopped when the JVM ends. Only the main
 * PostgreSQL cluster (5432) and MariaDB (3306) can be stopped; the second PostgreSQL
 * cluster is never touched. Stopping a server cuts every client on the machine off it:
 * run such tests under {@code flock -x /tmp/dtx-db.lock}, and tag them
 * {@code @Tag(ServerOutage.TAG)}: the build runs those alone, after the others, which it
 * runs in two JVMs at once.
 */
public final class ServerOutage implements AutoCloseable {

	/**
	 * The tag of a test that stops a server; the build runs such tests on their own.
	 */
	public static final String TAG = "database-outage";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private static final Set<DatabaseServer> stopped = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(ServerOutage::endAll, "start-stopped-database-servers"));
	}

	private final DatabaseServer server;

	private final long stoppedAt;

	private ServerOutage(DatabaseServer server) {
		this.server = server;
		this.stoppedAt = System.nanoTime();
	}

	/**
	 * Stops the server (its clients' connections are cut, as an administrator's shutdown
	 * cuts them) and returns once it refuses connections.
	 */
	public static ServerOutage begin(DatabaseServer server) {
		if (TestFork.number() != 0) {
			// not alone: the fork beside this one would lose its server mid-test
			throw new IllegalStateException("A test that stops " + server + " runs alone: tag it @Tag(ServerOutage.TAG)");
		}
		server.assumeAvailable();
		stopped.add(server);
		run(stopCommand(server));
		await("until " + server + " refuses connections").atMost(COMMAND_TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> !answers(server));
		return new ServerOutage(server);
	}

	/**
	 * Keeps the server down for {@code length}, and checks at the end that it still is: the
	 * outage's length is the fault a test makes, so its end is checked, not assumed.
	 */
	public void holdFor(Duration length) {
		await("the outage of " + this.server).pollDelay(length)
			.atMost(length.plusSeconds(10))
			.until(() -> !answers(this.server));
	}

	/**
	 * How long the server has been down.
	 */
	public Duration length() {
		return Duration.ofNanos(System.nanoTime() - this.stoppedAt);
	}

	/**
	 * Starts the server again and returns once it answers.
	 */
	@Override
	public void close() {
		start(this.server);
	}

	/**
	 * Starts every server an outage stopped and that is still down.
	 */
	public static void endAll() {
		for (DatabaseServer server : List.copyOf(stopped)) {
			start(server);
		}
	}

	private static synchronized void start(DatabaseServer server) {
		if (!stopped.contains(server)) {
			return;
		}
		if (!answers(server)) {
			run(startCommand(server));
			await("until " + server + " answers again").atMost(COMMAND_TIMEOUT)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> answers(server));
		}
		stopped.remove(server);
	}

	/**
	 * Whether the server accepts a connection and answers a query, within a second.
	 */
	public static boolean answers(DatabaseServer server) {
		Properties properties = new Properties();
		properties.setProperty("user", server.username());
		properties.setProperty("password", server.password());
		// both drivers take these: a server half up must not hold the poller
		properties.setProperty("connectTimeout", (server == DatabaseServer.MARIADB) ? "1000" : "1");
		properties.setProperty("socketTimeout", (server == DatabaseServer.MARIADB) ? "1000" : "1");
		try (Connection connection = DriverManager.getConnection(server.url(""), properties)) {
			return connection.isValid(1);
		}
		catch (Exception ex) {
			return false;
		}
	}

	private static List<String> stopCommand(DatabaseServer server) {
		return switch (server) {
			// fast: the server terminates its sessions ("terminating connection due to
			// administrator command") instead of waiting for them to end
			case POSTGRESQL -> List.of("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main", "stop",
					"-m", "fast");
			case MARIADB -> List.of("mariadb-admin", "-h", "127.0.0.1", "-uroot", "shutdown");
			default -> throw new IllegalArgumentException(server + " is never stopped by a test");
		};
	}

	private static List<String> startCommand(DatabaseServer server) {
		return switch (server) {
			case POSTGRESQL -> List.of("pg_ctlcluster", "--skip-systemctl-redirect", postgresVersion(), "main",
					"start");
			// as .ci/databases starts it: its configuration names the user it runs as
			case MARIADB -> List.of("start-stop-daemon", "--start", "--oknodo", "--background", "--exec",
					"/usr/sbin/mariadbd");
			default -> throw new IllegalArgumentException(server + " is never started by a test");
		};
	}

	// the newest installed version, as .ci/databases picks it
	private static String postgresVersion() {
		String[] versions = new File("/etc/postgresql").list();
		if (versions == null || versions.length == 0) {
			throw new IllegalStateException("no PostgreSQL under /etc/postgresql");
		}
		return Arrays.stream(versions).max(Comparator.comparingDouble(ServerOutage::version)).orElseThrow();
	}

	private static double version(String name) {
		try {
			return Double.parseDouble(name);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	// output to a file, not a pipe: a server the command starts keeps the pipe open while it runs
	private static void run(List<String> command) {
		try {
			File output = File.createTempFile("server-outage", ".log");
			try {
				Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
					.redirectOutput(output)
					.start();
				if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new IllegalStateException(String.join(" ", command) + " did not end in " + COMMAND_TIMEOUT);
				}
				if (process.exitValue() != 0) {
					throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue()
							+ "): " + Files.readString(output.toPath(), StandardCharsets.UTF_8));
				}
			}
			finally {
				output.delete();
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(String.join(" ", command) + " could not run", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(String.join(" ", command) + " was interrupted", ex);
		}
	}

}
