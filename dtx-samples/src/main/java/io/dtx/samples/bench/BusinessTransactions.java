package io.dtx.samples.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the outbox and notification benchmarks share: business transactions run as fast as
 * a number of callers go, and the settings a run reads from its arguments.
 */
final class BusinessTransactions {

	private BusinessTransactions() {
	}

	/**
	 * Business transactions per second from {@code callers} threads for {@code duration},
	 * after an unmeasured run: each variant's own code compiled before it is timed.
	 */
	static double perSecond(String description, int callers, Duration duration, Runnable transaction)
			throws Exception {
		System.out.println("business transactions with " + description + ", " + duration.toSeconds() + "s ...");
		run(callers, Duration.ofSeconds(3), transaction);
		return run(callers, duration, transaction) / (duration.toNanos() / 1e9);
	}

	private static long run(int callers, Duration duration, Runnable transaction) throws Exception {
		LongAdder transactions = new LongAdder();
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		long end = System.nanoTime() + duration.toNanos();
		List<Future<?>> done = new ArrayList<>();
		for (int i = 0; i < callers; i++) {
			done.add(pool.submit(() -> {
				while (System.nanoTime() < end) {
					transaction.run();
					transactions.increment();
				}
			}));
		}
		for (Future<?> future : done) {
			future.get();
		}
		pool.shutdown();
		return transactions.sum();
	}

	/**
	 * The defaults, each replaced by its system property {@code bench.<name>} and then by
	 * its argument {@code --<name>=value}; settings may be modified by the caller.
	 */
	static Map<String, String> settings(Map<String, String> defaults, String[] args) {
		Map<String, String> settings = new LinkedHashMap<>(defaults);
		settings.replaceAll((name, value) -> System.getProperty("bench." + name, value));
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (arg.startsWith("--") && equals > 2) {
				settings.put(arg.substring(2, equals), arg.substring(equals + 1));
			}
		}
		return settings;
	}

}
