package io.dtx.ops;

import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health contributor {@code dtx}: UP with what waits for recovery or an operator
 * (recovery's backlog, the oldest deadline a transaction is stuck past, the count of each
 * parked work, whether the outbox relay runs), DOWN when dtx cannot read its tables.
 * Stuck or parked work leaves it UP: the application still serves, and an operator
 * decides; the gauges are what alerts are written on.
 */
public class DtxHealthIndicator extends AbstractHealthIndicator {

	private final DtxOperations operations;

	private final @Nullable BooleanSupplier relayRunning;

	/**
	 * @param relayRunning whether the outbox relay runs; {@code null} without a relay
	 */
	public DtxHealthIndicator(DtxOperations operations, @Nullable BooleanSupplier relayRunning) {
		super("dtx cannot read its tables");
		this.operations = operations;
		this.relayRunning = relayRunning;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		DtxOperations.Summary summary = this.operations.summary();
		builder.up();
		DtxOperations.Transactions transactions = summary.transactions();
		if (transactions != null) {
			builder.withDetail("inFlight", transactions.inFlight())
				.withDetail("recoveryBacklog", transactions.recoveryBacklog())
				.withDetail("stuck", transactions.stuck());
			if (transactions.oldestDeadlinePassed() != null) {
				builder.withDetail("oldestDeadlinePassed", transactions.oldestDeadlinePassed().toString());
			}
		}
		summary.parked().forEach(builder::withDetail);
		if (this.relayRunning != null) {
			builder.withDetail("relayRunning", this.relayRunning.getAsBoolean());
		}
	}

}
