package io.dtx.samples.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.convert.DurationStyle;

/**
 * What one run measures. Each setting is read from a program argument
 * ({@code --callers=8}), else from a system property ({@code -Dbench.callers=8}), else
 * its default.
 * @param callers how many threads run transactions at once
 * @param warmUp how long each variant runs at least before it is measured
 * @param maxWarmUp how long it runs at most before it is measured, should the JIT not
 * settle
 * @param measured how long each variant is measured
 * @param accounts how many rows each database holds, one picked at random per update
 * @param postgres the PostgreSQL database
 * @param mariadb the MariaDB database
 * @param logDir where the transaction logs of the XA variants go, one folder each
 * @param variants which variants run, in order
 */
record BenchmarkSettings(int callers, Duration warmUp, Duration maxWarmUp, Duration measured, int accounts,
		Database postgres, Database mariadb, Path logDir, List<String> variants) {

	private static final Path DEFAULT_LOG_DIR = Path.of(System.getProperty("java.io.tmpdir"), "dtx-xa-benchmark");

	static BenchmarkSettings from(String[] args) {
		Map<String, String> given = new HashMap<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("Arguments look like --callers=16; got '" + arg + "'");
			}
			given.put(arg.substring(2, equals), arg.substring(equals + 1));
		}
		Settings settings = new Settings(given);
		return new BenchmarkSettings(Integer.parseInt(settings.get("callers", "16")),
				DurationStyle.detectAndParse(settings.get("warm-up", "5s")),
				DurationStyle.detectAndParse(settings.get("max-warm-up", "30s")),
				DurationStyle.detectAndParse(settings.get("measured", "10s")),
				Integer.parseInt(settings.get("accounts", "10000")),
				new Database("PostgreSQL", settings.get("pg-url", "jdbc:postgresql://127.0.0.1:5432/dtx_bench"),
						settings.get("pg-username", "postgres"), settings.get("pg-password", "")),
				new Database("MariaDB", settings.get("mariadb-url", "jdbc:mariadb://127.0.0.1:3306/dtx_bench"),
						settings.get("mariadb-username", "root"), settings.get("mariadb-password", "")),
				Path.of(settings.get("log-dir", DEFAULT_LOG_DIR.toString())),
				Arrays.asList(settings.get("variants", String.join(",", Variant.NAMES)).split(",")));
	}

	private record Settings(Map<String, String> args) {

		String get(String name, String defaultValue) {
			String value = this.args.get(name);
			return (value != null) ? value : System.getProperty("bench." + name, defaultValue);
		}

	}

}
