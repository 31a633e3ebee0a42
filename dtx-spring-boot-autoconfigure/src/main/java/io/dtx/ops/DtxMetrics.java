package io.dtx.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Gauges of what an alert watches: {@code dtx.transactions.in-flight} and
 * {@code dtx.transactions.stuck} (in flight past their deadline), and one per parked
 * work under its {@link ParkedWork#meterName()} ({@code dtx.sagas.failed},
 * {@code dtx.outbox.dead}, {@code dtx.notify.exhausted}). All read in one summary at most
 * once a second however often they are scraped.
 */
public class DtxMetrics {

	private static final Duration FRESH = Duration.ofSeconds(1);

	private final DtxOperations operations;

	private final Clock clock;

	private volatile DtxOperations.@Nullable Summary summary;

	private volatile Instant readAt = Instant.MIN;

	public DtxMetrics(DtxOperations operations, Clock clock, MeterRegistry registry) {
		this.operations = operations;
		this.clock = clock;
		if (operations.hasTransactions()) {
			gauge(registry, "dtx.transactions.in-flight", "Global transactions started here and not finished",
					(summary) -> (summary.transactions() != null) ? summary.transactions().inFlight() : 0);
			gauge(registry, "dtx.transactions.stuck", "Global transactions not finished past their deadline",
					(summary) -> (summary.transactions() != null) ? summary.transactions().stuck() : 0);
		}
		for (ParkedWork work : operations.parkedWork()) {
			// where the mode registers a gauge of that name itself, the registry keeps the first
			gauge(registry, work.meterName(), "Parked " + work.name() + ", waiting for an operator",
					(summary) -> summary.parked().getOrDefault(work.name(), 0L));
		}
	}

	private void gauge(MeterRegistry registry, String name, String description,
			ToLongFunction<DtxOperations.Summary> count) {
		Gauge.builder(name, this, (metrics) -> count.applyAsLong(metrics.summary()))
			.description(description)
			.register(registry);
	}

	private DtxOperations.Summary summary() {
		DtxOperations.Summary summary = this.summary;
		Instant now = this.clock.instant();
		if (summary == null || now.isAfter(this.readAt.plus(FRESH)) || now.isBefore(this.readAt)) {
			summary = this.operations.summary();
			this.summary = summary;
			this.readAt = now;
		}
		return summary;
	}

}
