package io.dtx.outbox;

import java.time.Clock;
import java.time.Duration;

import io.dtx.jdbc.PeriodicTask;

import org.springframework.scheduling.TaskScheduler;

/**
 * Deletes sent outbox rows and old inbox entries, so that neither table grows without
 * bound. Pending and dead rows are never touched. Every instance may run it.
 */
public class OutboxRetention extends PeriodicTask {

	private final OutboxStore store;

	private final Inbox inbox;

	private final Clock clock;

	private final Settings settings;

	public OutboxRetention(OutboxStore store, Inbox inbox, TaskScheduler scheduler, Clock clock, Settings settings) {
		// at once, as dtx's other retention: an instance restarted more often than the interval still cleans up
		super(scheduler, settings.interval(), Duration.ZERO);
		this.store = store;
		this.inbox = inbox;
		this.clock = clock;
		this.settings = settings;
	}

	/**
	 * Deletes what expired; returns how many rows.
	 */
	int deleteExpired() {
		return this.store.deleteSentBefore(this.clock.instant().minus(this.settings.keepSent()))
				+ this.inbox.deleteReceivedBefore(this.clock.instant().minus(this.settings.keepReceived()));
	}

	@Override
	protected void runOnce() {
		deleteExpired();
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
