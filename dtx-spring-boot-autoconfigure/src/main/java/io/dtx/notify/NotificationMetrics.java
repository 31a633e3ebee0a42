package io.dtx.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.dtx.jdbc.DtxTables;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import org.jspecify.annotations.Nullable;

/**
 * Notifications as Micrometer meters: {@code dtx.notify.pending} and
 * {@code dtx.notify.exhausted} notifications and the age of the oldest pending one
 * ({@code dtx.notify.oldest.age}), read from the table at most once a second however
 * often they are scraped, and the counters of this instance's attempts,
 * {@code dtx.notify.delivered} and {@code dtx.notify.failed} (those that exhausted their
 * notification tagged {@code exhausted=true}).
 */
public class NotificationMetrics implements DispatchObserver {

	private static final Duration FRESH = Duration.ofSeconds(1);

	private final NotificationStore store;

	private final Clock clock;

	private final Counter delivered;

	private final Counter failed;

	private final Counter exhausted;

	private volatile NotificationStore.@Nullable Backlog backlog;

	private volatile Instant readAt = Instant.MIN;

	public NotificationMetrics(DtxTables tables, MeterRegistry registry) {
		this.store = new NotificationStore(tables);
		this.clock = tables.clock();
		this.delivered = Counter.builder("dtx.notify.delivered")
			.description("Notifications an endpoint answered 2xx to")
			.register(registry);
		this.failed = failed(registry, false);
		this.exhausted = failed(registry, true);
		Gauge.builder("dtx.notify.pending", this, (metrics) -> metrics.backlog().pending())
			.description("Notifications waiting for an attempt or in one")
			.register(registry);
		Gauge.builder("dtx.notify.exhausted", this, (metrics) -> metrics.backlog().exhausted())
			.description("Notifications whose schedule ran out, waiting for a retry through the API")
			.register(registry);
		TimeGauge.builder("dtx.notify.oldest.age", this, TimeUnit.MILLISECONDS, NotificationMetrics::oldestAgeMillis)
			.description("How long the oldest pending notification has waited")
			.register(registry);
	}

	private static Counter failed(MeterRegistry registry, boolean exhausted) {
		return Counter.builder("dtx.notify.failed")
			.description("Failed attempts at delivering a notification")
			.tag("exhausted", String.valueOf(exhausted))
			.register(registry);
	}

	@Override
	public void delivered() {
		this.delivered.increment();
	}

	@Override
	public void failed(boolean exhausted) {
		(exhausted ? this.exhausted : this.failed).increment();
	}

	private double oldestAgeMillis() {
		Instant oldest = backlog().oldestPending();
		return (oldest != null) ? Math.max(0, Duration.between(oldest, this.clock.instant()).toMillis()) : 0;
	}

	private NotificationStore.Backlog backlog() {
		NotificationStore.Backlog backlog = this.backlog;
		Instant now = this.clock.instant();
		if (backlog == null || now.isAfter(this.readAt.plus(FRESH)) || now.isBefore(this.readAt)) {
			backlog = this.store.backlog();
			this.backlog = backlog;
			this.readAt = now;
		}
		return backlog;
	}

}
