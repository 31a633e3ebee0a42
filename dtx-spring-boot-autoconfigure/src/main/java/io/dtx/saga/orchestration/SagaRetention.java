package io.dtx.saga.orchestration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.dtx.fence.BranchFence;
import io.dtx.jdbc.PeriodicTask;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * Deletes, every so often, what sagas by commands leave behind once they are long over: the
 * orchestrator's finished sagas with their histories (COMPLETED, COMPENSATED and ABANDONED;
 * a FAILED one waits for an operator), and a participant's fence rows of saga commands,
 * which no compensation will need any more. Every instance may run it.
 */
public class SagaRetention extends PeriodicTask {

	// the fence rows of saga commands, as the participants name their actions
	static final String FENCE_ACTION_PREFIX = "saga:";

	private final @Nullable SagaInstances instances;

	private final @Nullable BranchFence fence;

	private final Duration keepFinished;

	private final Clock clock;

	/**
	 * @param instances the orchestrator's sagas, where this service defines any
	 * @param fence the participant's fence, where it is set up
	 * @param keepFinished how long a finished saga is kept, and a command's fence row:
	 * longer than a compensation of it may still come
	 */
	public SagaRetention(@Nullable SagaInstances instances, @Nullable BranchFence fence, TaskScheduler scheduler,
			Clock clock, Duration keepFinished, Duration interval) {
		// at once, as dtx's other retention: an instance restarted more often than the interval still cleans up
		super(scheduler, interval, Duration.ZERO);
		this.instances = instances;
		this.fence = fence;
		this.keepFinished = keepFinished;
		this.clock = clock;
	}

	/**
	 * Deletes what expired; returns how many sagas and fence rows.
	 */
	public int deleteExpired() {
		Instant before = this.clock.instant().minus(this.keepFinished);
		int deleted = 0;
		if (this.instances != null) {
			deleted += this.instances.deleteFinishedBefore(before);
		}
		if (this.fence != null) {
			deleted += this.fence.deleteOfActionsBefore(FENCE_ACTION_PREFIX, before);
		}
		return deleted;
	}

	@Override
	protected void runOnce() {
		deleteExpired();
	}

}
