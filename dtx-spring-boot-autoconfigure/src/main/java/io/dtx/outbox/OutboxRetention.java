package io.dtx.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Deletes sent outbox rows and old inbox entries, so that neither table grows without
 * bound. Pending and dead rows are never touched. Every instance may run it.
 */
public class OutboxRetention implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(OutboxRetention.class);

	private final OutboxStore store;

	private final Inbox inbox;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final Settings settings;

	private volatile @Nullable ScheduledFuture<?> task;

	public OutboxRetention(OutboxStore store, Inbox inbox, TaskScheduler scheduler, Clock clock, Settings settings) {
		this.store = store;
		this.inbox = inbox;
		this.scheduler = scheduler;
		this.clock = clock;
		this.settings = settings;
	}

	/**
	 * Deletes what expired; returns how many rows.
	 */
	public int deleteExpired() {
		return this.store.deleteSentBefore(this.clock.instant().minus(this.settings.keepSent()))
				+ this.inbox.deleteReceivedBefore(this.clock.instant().minus(this.settings.keepReceived()));
	}

	@Override
	public void start() {
		this.task = this.scheduler.scheduleWithFixedDelay(() -> {
			try {
				deleteExpired();
			}
			catch (RuntimeException ex) {
				logger.warn("Outbox retention failed, the next pass tries again: " + ex, ex);
			}
		}, this.settings.interval());
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

	/**
	 * How long rows are kept.
	 *
	 * @param keepSent how long a sent message is kept
	 * @param keepReceived how long an inbox entry is kept: longer than a message may be
	 * delivered again
	 * @param interval time between two deletions
	 */
	public record Settings(Duration keepSent, Duration keepReceived, Duration interval) {

	}

}
