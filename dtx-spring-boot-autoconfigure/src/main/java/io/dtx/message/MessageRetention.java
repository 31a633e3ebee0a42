package io.dtx.message;

import java.time.Clock;
import java.time.Duration;

import io.dtx.jdbc.PeriodicTask;

import org.springframework.scheduling.TaskScheduler;

/**
 * Deletes the barriers of messages older than {@code keep}, so that the table does not
 * grow without bound. A barrier answers check-backs, which come within
 * {@code check-after} plus the check-backs' backoff of its half message: kept well
 * beyond that, it has done its work. Every instance may run it.
 */
public class MessageRetention extends PeriodicTask {

	private final MessageBarrier barrier;

	private final Clock clock;

	private final Duration keep;

	public MessageRetention(MessageBarrier barrier, TaskScheduler scheduler, Clock clock, Duration keep,
			Duration interval) {
		// at once, as dtx's other retention: an instance restarted more often than the interval still cleans up
		super(scheduler, interval, Duration.ZERO);
		this.barrier = barrier;
		this.clock = clock;
		this.keep = keep;
	}

	/**
	 * Deletes what expired; returns how many barriers.
	 */
	int deleteExpired() {
		return this.barrier.deleteBefore(this.clock.instant().minus(this.keep));
	}

	@Override
	protected void runOnce() {
		deleteExpired();
	}

}
