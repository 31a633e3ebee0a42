package io.dtx.saga.orchestration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Sagas by commands as Micrometer meters: {@code dtx.saga.orchestration.sagas}, how many
 * sagas of each name ({@code saga}) are in each status ({@code status}: RUNNING,
 * COMPENSATING, COMPLETED, COMPENSATED, FAILED, ABANDONED), read from the orchestrator's
 * table at most once a second however often they are scraped: every instance reports the
 * same numbers, which outlive restarts.
 */
public class SagaMetrics {

	private static final Duration FRESH = Duration.ofSeconds(1);

	private final SagaInstances instances;

	private final Clock clock;

	private volatile Map<String, Map<SagaStatus, Long>> counts = Map.of();

	private volatile Instant readAt = Instant.MIN;

	public SagaMetrics(SagaDefinitions definitions, SagaInstances instances, MeterRegistry registry) {
		this.instances = instances;
		this.clock = instances.clock();
		for (SagaDefinition<?> definition : definitions.all()) {
			for (SagaStatus status : SagaStatus.values()) {
				Gauge.builder("dtx.saga.orchestration.sagas", this, (metrics) -> metrics.count(definition.name(), status))
					.description("Sagas by commands of one name in one status")
					.tag("saga", definition.name())
					.tag("status", status.name())
					.register(registry);
			}
		}
	}

	private double count(String saga, SagaStatus status) {
		Instant now = this.clock.instant();
		if (this.readAt.plus(FRESH).isBefore(now)) {
			this.counts = this.instances.counts();
			this.readAt = now;
		}
		return this.counts.getOrDefault(saga, Map.of()).getOrDefault(status, 0L);
	}

}
