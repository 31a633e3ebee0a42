package io.dtx.saga.orchestration;

import java.util.List;

import io.dtx.ops.ParkedWork;
import org.jspecify.annotations.Nullable;

/**
 * The FAILED sagas by commands, for an operator: listed, counted, retried and given up
 * (ABANDONED) through the endpoint {@code dtx} at {@code failed-saga-orchestrations}.
 */
public final class ParkedSagas implements ParkedWork {

	private final SagaOrchestrator orchestrator;

	public ParkedSagas(SagaOrchestrator orchestrator) {
		this.orchestrator = orchestrator;
	}

	@Override
	public String name() {
		return "failed-saga-orchestrations";
	}

	@Override
	public String meterName() {
		return "dtx.saga.orchestration.failed";
	}

	@Override
	public long count() {
		return this.orchestrator.failedCount();
	}

	@Override
	public List<ParkedSaga> list(int limit) {
		return this.orchestrator.failed(limit);
	}

	@Override
	public @Nullable String retry(String sagaId) {
		if (!parked(sagaId)) {
			return null;
		}
		if (!this.orchestrator.retry(sagaId)) {
			throw new IllegalStateException(sagaId + " is " + this.orchestrator.status(sagaId) + ", not FAILED");
		}
		return "compensating again, a new round of max-attempts";
	}

	@Override
	public @Nullable String discard(String sagaId) {
		if (!parked(sagaId)) {
			return null;
		}
		if (!this.orchestrator.abandon(sagaId)) {
			throw new IllegalStateException(sagaId + " is " + this.orchestrator.status(sagaId) + ", not FAILED");
		}
		return "abandoned: nothing more runs for it, what its steps did stays";
	}

	private boolean parked(String sagaId) {
		return this.orchestrator.status(sagaId) == SagaStatus.FAILED;
	}

}
