package io.dtx.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Deletes what finished long ago from dtx's tables, so that none grows without bound:
 * transactions confirmed or cancelled, completed branches, completed participants. Rows
 * of unfinished transactions are never touched, however old. Every instance may run it;
 * the deletes are idempotent.
 */
public class Retention implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(Retention.class);

	private final GlobalTransactionLog log;

	private final BranchFence fence;

	private final ParticipantLog participants;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final Duration keep;

	private final Duration interval;

	private volatile @Nullable ScheduledFuture<?> task;

	public Retention(GlobalTransactionLog log, BranchFence fence, ParticipantLog participants,
			TaskScheduler scheduler, Clock clock, Duration keep, Duration interval) {
		this.log = log;
		this.fence = fence;
		this.participants = participants;
		this.scheduler = scheduler;
		this.clock = clock;
		this.keep = keep;
		this.interval = interval;
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
	public void start() {
		this.task = this.scheduler.scheduleWithFixedDelay(() -> {
			try {
				int deleted = deleteExpired();
				if (deleted > 0 && logger.isDebugEnabled()) {
					logger.debug("Retention deleted " + deleted + " finished rows");
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Retention pass failed, the next one tries again: " + ex);
			}
		}, this.interval);
	}

	@Override
	public void stop() {
		ScheduledFuture<?> running = this.task;
		if (running != null) {
			running.cancel(false);
			this.task = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.task != null;
	}

}
