package io.dtx.notify;

import java.time.Duration;

import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.PeriodicTask;

import org.springframework.scheduling.TaskScheduler;

/**
 * Deletes delivered notifications and the receiver's old inbox entries of notifications,
 * so that neither table grows without bound. Pending and exhausted notifications are never
 * touched. Every instance may run it.
 */
public class NotificationRetention extends PeriodicTask {

	private final NotificationStore store;

	private final NotificationInbox inbox;

	private final Settings settings;

	public NotificationRetention(DtxTables tables, TaskScheduler scheduler, Settings settings) {
		// at once, as dtx's other retention: an instance restarted more often than the interval still cleans up
		super(scheduler, settings.interval(), Duration.ZERO);
		this.store = new NotificationStore(tables);
		this.inbox = new NotificationInbox(tables);
		this.settings = settings;
	}

	/**
	 * Deletes what expired; returns how many rows.
	 */
	public int deleteExpired() {
		return this.store.deleteDeliveredBefore(this.store.instant().minus(this.settings.keepDelivered()))
				+ this.inbox.deleteReceivedBefore(this.store.instant().minus(this.settings.keepReceived()));
	}

	@Override
	protected void runOnce() {
		deleteExpired();
	}

	/**
	 * How long rows are kept.
	 *
	 * @param keepDelivered how long a delivered notification is kept, and can be queried
	 * @param keepReceived how long the receiver keeps a notification's inbox entry: longer
	 * than a sender may post it again or a reconciliation may find it
	 * @param interval time between two deletions
	 */
	public record Settings(Duration keepDelivered, Duration keepReceived, Duration interval) {

	}

}
