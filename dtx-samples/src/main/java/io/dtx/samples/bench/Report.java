package io.dtx.samples.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The printed result of a run: what was run, then one line per variant with its ratio
 * to the baseline.
 */
final class Report {

	private static final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

	private final BenchmarkSettings settings;

	// the machine is shared with the database servers: how busy it was says how far to trust the numbers
	private final double loadAtStart = os.getSystemLoadAverage();

	private final StringBuilder text = new StringBuilder();

	Report(BenchmarkSettings settings) {
		this.settings = settings;
	}

	String print(List<Measurement> measurements) {
		this.text.setLength(0);
		header();
		table(measurements);
		return this.text.toString();
	}

	private void header() {
		line("XA benchmark: %d callers; each variant warmed up until the JIT is quiet (%s to %s), then measured for %s",
				this.settings.callers(), seconds(this.settings.warmUp()), seconds(this.settings.maxWarmUp()),
				seconds(this.settings.measured()));
		line("Machine: %d CPUs; load average %.2f before the run (other work), %.2f at its end (its own included)",
				os.getAvailableProcessors(), this.loadAtStart, os.getSystemLoadAverage());
		line("One transaction = \"%s\"", Variant.UPDATE);
		line("  on a random account out of %,d in %s", this.settings.accounts(), this.settings.postgres());
		line("  and on a random account out of %,d in %s", this.settings.accounts(), this.settings.mariadb());
		line("  dtx         Spring Boot + dtx (dtx.xa.datasources), a @Transactional method, two JdbcTemplates; XA");
		line("  hand-wired  Atomikos UserTransactionManager + two AtomikosDataSourceBeans, plain JDBC; XA");
		line("  baseline    two HikariCP pools, each update its own local transaction (autocommit): no atomicity");
		line("");
	}

	private void table(List<Measurement> measurements) {
		Measurement baseline = find(measurements, LocalTransactionsVariant.NAME);
		line("%-12s %8s %12s %7s %10s %11s %12s %11s", "variant", "warm-up", "transactions", "errors", "tx/s",
				"CPU-ms/tx", "vs baseline", "consistent");
		for (Measurement each : measurements) {
			line("%-12s %8s %,12d %7d %,10.0f %11.3f %12s %11s", each.variant(), seconds(each.warmUp()),
					each.transactions(), each.errors(), each.perSecond(), each.cpuMillisPerTransaction(),
					ratio(each, baseline), each.consistent() ? "yes" : "NO");
		}
		Measurement dtx = find(measurements, DtxVariant.NAME);
		Measurement handWired = find(measurements, HandWiredAtomikosVariant.NAME);
		if (dtx != null && handWired != null) {
			line("");
			line("dtx / hand-wired: %.2f x the throughput, %.2f x the CPU per transaction",
					dtx.perSecond() / handWired.perSecond(),
					dtx.cpuMillisPerTransaction() / handWired.cpuMillisPerTransaction());
		}
		line("");
		line("tx/s and CPU-ms/tx over the measured time; CPU is this JVM's (all its threads), not the database servers'.");
		line("vs baseline: tx/s of the variant / tx/s of the baseline.");
		line("errors: transactions that failed and were rolled back, warm-up included; they must be 0.");
		line("consistent: each database gained exactly one increment per completed transaction.");
	}

	static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.0f s", duration.toMillis() / 1000.0);
	}

	private static String ratio(Measurement measurement, @Nullable Measurement baseline) {
		return (baseline != null) ? String.format(Locale.ROOT, "%.2f", measurement.perSecond() / baseline.perSecond())
				: "-";
	}

	private static @Nullable Measurement find(List<Measurement> measurements, String variant) {
		return measurements.stream().filter((each) -> each.variant().equals(variant)).findFirst().orElse(null);
	}

	private void line(String format, Object... args) {
		this.text.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
	}

}
