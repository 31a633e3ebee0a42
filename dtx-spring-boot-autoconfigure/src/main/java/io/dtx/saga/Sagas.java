package io.dtx.saga;

import java.util.List;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.core.GlobalState;
import org.jspecify.annotations.Nullable;

/**
 * What an operator does with sagas that failed: list them, and retry their
 * compensation once the cause is mended.
 */
public class Sagas {

	private final GlobalTransactionLog log;

	private final SagaCoordinator coordinator;

	public Sagas(GlobalTransactionLog log, SagaCoordinator coordinator) {
		this.log = log;
		this.coordinator = coordinator;
	}

	/**
	 * The sagas started here whose compensation ran out of attempts, those that failed
	 * first first, at most {@code limit}.
	 */
	public List<FailedSaga> failed(int limit) {
		return this.log.inState(GlobalState.FAILED, SagaCoordinator.MODE, limit)
			.stream()
			.map((entry) -> new FailedSaga(entry.xid(), entry.name(), entry.deadline(), entry.attempts(), entry.lastError()))
			.toList();
	}

	/**
	 * How many sagas started here failed.
	 */
	public long failedCount() {
		return this.log.count(GlobalState.FAILED, SagaCoordinator.MODE);
	}

	/**
	 * Compensates a failed saga again, at once, with its attempts counted afresh; a
	 * failure leaves it to recovery, as for any saga. Returns the saga's state afterwards
	 * ({@code CANCELLED} once compensated); {@code null} for a saga never recorded here.
	 */
	public @Nullable GlobalState retry(String xid) {
		return this.coordinator.retry(xid);
	}

}
