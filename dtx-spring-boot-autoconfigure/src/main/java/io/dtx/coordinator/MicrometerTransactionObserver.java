package io.dtx.coordinator;

import java.time.Duration;
import java.util.Locale;

import io.dtx.core.GlobalTransaction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Global transactions as Micrometer meters, tagged by name and mode:
 * {@code dtx.transactions.started} counts them as they begin, and the timer
 * {@code dtx.transactions} counts and times them by {@code outcome} (confirmed,
 * cancelled, failed) as they end.
 */
public class MicrometerTransactionObserver implements TransactionObserver {

	private final MeterRegistry registry;

	public MicrometerTransactionObserver(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void started(GlobalTransaction transaction) {
		Counter.builder("dtx.transactions.started")
			.description("Global transactions started here")
			.tag("name", transaction.name())
			.tag("mode", mode(transaction))
			.register(this.registry)
			.increment();
	}

	@Override
	public void finished(GlobalTransaction transaction, Outcome outcome, Duration duration) {
		Timer.builder("dtx.transactions")
			.description("Global transactions ended here, from begin to the end of phase two")
			.tag("name", transaction.name())
			.tag("mode", mode(transaction))
			.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
			.register(this.registry)
			.record(duration);
	}

	private static String mode(GlobalTransaction transaction) {
		return transaction.mode().toLowerCase(Locale.ROOT);
	}

}
