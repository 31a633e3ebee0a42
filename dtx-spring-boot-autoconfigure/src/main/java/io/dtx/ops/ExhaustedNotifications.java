package io.dtx.ops;

import java.util.List;

import io.dtx.notify.ExhaustedNotification;
import io.dtx.notify.Notifications;
import org.jspecify.annotations.Nullable;

/**
 * Notifications whose every attempt failed, through {@link Notifications}.
 */
public final class ExhaustedNotifications implements ParkedWork {

	private final Notifications notifications;

	public ExhaustedNotifications(Notifications notifications) {
		this.notifications = notifications;
	}

	@Override
	public String name() {
		return "exhausted-notifications";
	}

	@Override
	public String meterName() {
		// the name NotificationMetrics gives the same count: a registry keeps one gauge of it
		return "dtx.notify.exhausted";
	}

	@Override
	public long count() {
		return this.notifications.exhaustedCount();
	}

	@Override
	public List<ExhaustedNotification> list(int limit) {
		return this.notifications.exhausted(limit);
	}

	@Override
	public @Nullable String retry(String id) {
		return this.notifications.retry(id) ? "due now, with a new round of its schedule" : null;
	}

}
