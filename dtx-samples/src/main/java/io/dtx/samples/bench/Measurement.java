package io.dtx.samples.bench;

import java.time.Duration;

/**
 * What one variant did while it was measured, and whether every transaction it completed
 * reached both databases exactly once.
 * @param variant the name of the variant
 * @param warmUp how long it ran before it was measured
 * @param transactions transactions completed during the measured time
 * @param errors transactions that failed (and were rolled back), warm-up included
 * @param elapsed the measured time
 * @param cpuNanos CPU time of this JVM, all threads, during the measured time
 * @param consistent whether each database gained one increment per completed transaction
 */
record Measurement(String variant, Duration warmUp, long transactions, long errors, Duration elapsed, long cpuNanos,
		boolean consistent) {

	double perSecond() {
		return this.transactions / (this.elapsed.toNanos() / 1e9);
	}

	double cpuMillisPerTransaction() {
		return (this.transactions > 0) ? this.cpuNanos / 1e6 / this.transactions : Double.NaN;
	}

}
