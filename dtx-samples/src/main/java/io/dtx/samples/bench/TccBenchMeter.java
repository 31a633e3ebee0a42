package io.dtx.samples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads the costs the benchmark reports: CPU time of this JVM, CPU time of the PostgreSQL
 * backends that serve this benchmark's pool, and the database's commit and row counters.
 * <p>
 * PostgreSQL's CPU comes from {@code /proc/<pid>/stat} of the backends whose
 * {@code application_name} is the benchmark's, so other users of the same server are not
 * counted; neither are the server's shared background processes (WAL writer,
 * checkpointer). It is only available when PostgreSQL runs on this machine.
 */
final class TccBenchMeter {

	static final String APPLICATION_NAME = "tccbench";

	private final HikariDataSource pool;

	private final JdbcTemplate jdbc;

	private final com.sun.management.OperatingSystemMXBean os;

	private final long clockTicksPerSecond;

	TccBenchMeter(DataSource dataSource) {
		if (!(dataSource instanceof HikariDataSource hikari)) {
			throw new IllegalStateException("The benchmark needs a Hikari pool, not " + dataSource);
		}
		this.pool = hikari;
		this.jdbc = new JdbcTemplate(dataSource);
		this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		this.clockTicksPerSecond = clockTicksPerSecond();
	}

	/**
	 * The backends of the benchmark's pool; read once per variant, as the pool keeps its
	 * connections for far longer than a run.
	 */
	List<Integer> backends() {
		return this.jdbc.queryForList("select pid from pg_stat_activity where application_name = ?", Integer.class,
				APPLICATION_NAME);
	}

	/**
	 * How many other sessions use the benchmark's database: their commits would be
	 * counted as ours.
	 */
	int otherSessions() {
		Integer count = this.jdbc.queryForObject("select count(*) from pg_stat_activity where datname ="
				+ " current_database() and backend_type = 'client backend' and application_name not like ?",
				Integer.class, APPLICATION_NAME + "%");
		return (count != null) ? count : 0;
	}

	/**
	 * CPU time of this JVM, of the given backends and of the whole machine, in
	 * nanoseconds; the backends' and the machine's time are negative when they cannot be
	 * read.
	 */
	Cpu cpu(List<Integer> backends) {
		return new Cpu(this.os.getProcessCpuTime(), backendCpuNanos(backends), machineCpuNanos());
	}

	/**
	 * Replaces every connection of the pool with a new one. A backend publishes its
	 * counters when it exits, whereas a busy one that goes idle keeps them for up to ten
	 * seconds: recycling the pool around a variant makes the database's counters exact,
	 * and gives each variant backends of its own.
	 */
	void recycleConnections() throws InterruptedException {
		HikariPoolMXBean mxBean = this.pool.getHikariPoolMXBean();
		Set<Integer> old = new HashSet<>(backends());
		mxBean.softEvictConnections();
		long deadline = System.nanoTime() + 60_000_000_000L;
		while (backends().stream().anyMatch(old::contains)
				|| mxBean.getTotalConnections() < this.pool.getMaximumPoolSize()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The pool did not renew its connections within a minute");
			}
			Thread.sleep(50);
		}
		// a backend leaves pg_stat_activity just before it publishes its counters
		Thread.sleep(250);
	}

	/**
	 * The database's counters; exact for backends that have exited.
	 */
	DatabaseCounters databaseCounters() {
		return this.jdbc.queryForObject("select xact_commit, xact_rollback, tup_inserted + tup_updated + tup_deleted"
				+ " from pg_stat_database where datname = current_database()",
				(rs, row) -> new DatabaseCounters(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
	}

	private long backendCpuNanos(List<Integer> backends) {
		long ticks = 0;
		for (int pid : backends) {
			Path stat = Path.of("/proc", Integer.toString(pid), "stat");
			try {
				String line = Files.readString(stat);
				// the command name in parentheses may hold spaces: count fields after it
				String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
				ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			}
			catch (IOException | RuntimeException ex) {
				return -1;
			}
		}
		return ticks * 1_000_000_000L / this.clockTicksPerSecond;
	}

	/**
	 * Busy time of all CPUs since boot, from the first line of {@code /proc/stat}: what
	 * this benchmark did not use of it, other processes did.
	 */
	private long machineCpuNanos() {
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long ticks = 0;
			// user, nice, system, (idle and iowait skipped), irq, softirq, steal
			for (int i : new int[] { 1, 2, 3, 6, 7, 8 }) {
				ticks += Long.parseLong(fields[i]);
			}
			return ticks * 1_000_000_000L / this.clockTicksPerSecond;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static long clockTicksPerSecond() {
		try {
			Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes()).trim();
			return (process.waitFor() == 0) ? Long.parseLong(out) : 100;
		}
		catch (IOException | RuntimeException ex) {
			return 100;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 100;
		}
	}

	/**
	 * CPU time used so far, in nanoseconds.
	 */
	record Cpu(long jvmNanos, long postgresNanos, long machineNanos) {

		/**
		 * The share of the machine's CPUs that other processes than this JVM and its
		 * backends used since {@code before}, in percent; NaN when unknown.
		 */
		double othersPercent(Cpu before, long elapsedNanos, int processors) {
			if (before.postgresNanos() < 0 || before.machineNanos() < 0 || this.postgresNanos < 0
					|| this.machineNanos < 0) {
				return Double.NaN;
			}
			long others = (this.machineNanos - before.machineNanos()) - (this.jvmNanos - before.jvmNanos())
					- (this.postgresNanos - before.postgresNanos());
			return Math.max(0, 100.0 * others / ((double) elapsedNanos * processors));
		}

	}

	/**
	 * Cumulative counters of the benchmark's database.
	 */
	record DatabaseCounters(long commits, long rollbacks, long rowsWritten) {

	}

}
