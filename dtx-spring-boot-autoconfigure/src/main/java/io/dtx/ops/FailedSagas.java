package io.dtx.ops;

import java.util.List;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.core.GlobalState;
import io.dtx.saga.FailedSaga;
import io.dtx.saga.Sagas;
import org.jspecify.annotations.Nullable;

/**
 * Sagas whose compensation ran out of attempts, through {@link Sagas}.
 */
public final class FailedSagas implements ParkedWork {

	private final Sagas sagas;

	private final GlobalTransactionLog log;

	public FailedSagas(Sagas sagas, GlobalTransactionLog log) {
		this.sagas = sagas;
		this.log = log;
	}

	@Override
	public String name() {
		return "failed-sagas";
	}

	@Override
	public String meterName() {
		return "dtx.sagas.failed";
	}

	@Override
	public long count() {
		return this.sagas.failedCount();
	}

	@Override
	public List<FailedSaga> list(int limit) {
		return this.sagas.failed(limit);
	}

	@Override
	public @Nullable String retry(String xid) {
		GlobalTransactionLog.Entry entry = this.log.entry(xid);
		if (entry == null) {
			return null;
		}
		if (entry.state() != GlobalState.FAILED) {
			throw new IllegalStateException(xid + " is " + entry.state() + ", not FAILED");
		}
		GlobalState after = this.sagas.retry(xid);
		return (after == GlobalState.CANCELLED) ? "compensated" : "compensation attempted, saga is " + after;
	}

}
