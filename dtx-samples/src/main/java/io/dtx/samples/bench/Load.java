package io.dtx.samples.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import com.sun.management.OperatingSystemMXBean;

/**
 * Drives one variant with concurrent callers, each running transactions back to back on
 * random accounts: first unmeasured until the JIT has compiled the hot path, then for
 * the measured time.
 */
final class Load {

	/**
	 * Warm-up ends once the JIT has spent less than this share of the last two seconds
	 * compiling. A deep call stack (Spring's) takes longer to compile than plain JDBC,
	 * and a fixed warm-up would measure the compiler instead of the variant.
	 */
	private static final double JIT_QUIET = 0.05;

	private static final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();

	private final BenchmarkSettings settings;

	private final LongAdder completed = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

	private volatile boolean stopped;

	private Load(BenchmarkSettings settings) {
		this.settings = settings;
	}

	static Measurement run(Variant variant, BenchmarkSettings settings) throws Exception {
		return new Load(settings).run(variant);
	}

	private Measurement run(Variant variant) throws Exception {
		long postgresBefore = Accounts.total(this.settings.postgres());
		long mariadbBefore = Accounts.total(this.settings.mariadb());
		List<Thread> callers = new ArrayList<>();
		for (int i = 1; i <= this.settings.callers(); i++) {
			Thread caller = new Thread(() -> call(variant), variant.name() + "-caller-" + i);
			callers.add(caller);
			caller.start();
		}
		Duration warmUp = warmUp();
		long transactionsBefore = this.completed.sum();
		long cpuBefore = os.getProcessCpuTime();
		long start = System.nanoTime();
		Thread.sleep(this.settings.measured().toMillis());
		long transactions = this.completed.sum() - transactionsBefore;
		long cpu = os.getProcessCpuTime() - cpuBefore;
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		this.stopped = true;
		for (Thread caller : callers) {
			caller.join();
		}
		Throwable failure = this.firstFailure.get();
		if (failure != null) {
			System.err.println(variant.name() + ": " + this.failed.sum() + " transactions failed, the first with:");
			failure.printStackTrace();
		}
		long all = this.completed.sum();
		boolean consistent = Accounts.total(this.settings.postgres()) - postgresBefore == all
				&& Accounts.total(this.settings.mariadb()) - mariadbBefore == all;
		return new Measurement(variant.name(), warmUp, transactions, this.failed.sum(), elapsed, cpu, consistent);
	}

	/**
	 * Waits at least the warm-up time, then until the JIT is quiet or the longest
	 * warm-up has passed.
	 */
	private Duration warmUp() throws InterruptedException {
		long start = System.nanoTime();
		long[] compiling = { jit.getTotalCompilationTime(), jit.getTotalCompilationTime() };
		while (true) {
			Thread.sleep(1000);
			long now = jit.getTotalCompilationTime();
			long lastTwoSeconds = now - compiling[0];
			compiling[0] = compiling[1];
			compiling[1] = now;
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			boolean quiet = elapsed.toSeconds() >= 2 && lastTwoSeconds < JIT_QUIET * 2000;
			if ((quiet && elapsed.compareTo(this.settings.warmUp()) >= 0)
					|| elapsed.compareTo(this.settings.maxWarmUp()) >= 0) {
				return elapsed;
			}
		}
	}

	private void call(Variant variant) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int accounts = this.settings.accounts();
		while (!this.stopped) {
			try {
				variant.transaction(random.nextInt(accounts) + 1, random.nextInt(accounts) + 1);
				this.completed.increment();
			}
			catch (Throwable ex) {
				this.failed.increment();
				this.firstFailure.compareAndSet(null, ex);
			}
		}
	}

}
