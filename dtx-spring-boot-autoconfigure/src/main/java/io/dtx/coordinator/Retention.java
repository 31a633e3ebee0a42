package io.dtx.coordinator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.dtx.fence.BranchFence;
import io.dtx.jdbc.PeriodicTask;

import org.springframework.scheduling.TaskScheduler;

/**
 * Deletes what finished long ago from dtx's tables, so that none grows without bound:
 * transactions confirmed or cancelled, completed branches, completed participants. Rows
 * of unfinished transactions are never touched, however old. Every instance may run it;
 * the deletes are idempotent.
 */
public class Retention extends PeriodicTask {

	private final GlobalTransactionLog log;

	private final BranchFence fence;

	private final ParticipantLog participants;

	private final Clock clock;

	private final Duration keep;

	public Retention(GlobalTransactionLog log, BranchFence fence, ParticipantLog participants,
			TaskScheduler scheduler, Clock clock, Duration keep, Duration interval) {
		// at once: an instance restarted more often than the interval still cleans up
		super(scheduler, interval, Duration.ZERO);
		this.log = log;
		this.fence = fence;
		this.participants = participants;
		this.clock = clock;
		this.keep = keep;
	}

	/**
	 * Deletes the rows that finished more than {@code keep} ago; returns how many.
	 */
	public int deleteExpired() {
		Instant before = this.clock.instant().minus(this.keep);
		return this.log.deleteFinishedBefore(before) + this.fence.deleteFinishedBefore(before)
				+ this.participants.deleteDoneBefore(before);
	}

	@Override
	protected void runOnce() {
		deleteExpired();
	}

}
