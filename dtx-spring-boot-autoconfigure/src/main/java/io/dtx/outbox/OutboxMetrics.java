package io.dtx.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import org.jspecify.annotations.Nullable;

/**
 * The outbox as Micrometer meters: {@code dtx.outbox.pending} messages and the age of
 * the oldest ({@code dtx.outbox.oldest.age}), read from the table at most once a second
 * however often they are scraped, and the counters {@code dtx.outbox.sent} and
 * {@code dtx.outbox.failed} (attempts; those that parked their message tagged
 * {@code dead=true}).
 */
public class OutboxMetrics implements RelayObserver {

	private static final Duration FRESH = Duration.ofSeconds(1);

	private final OutboxStore store;

	private final Clock clock;

	private final Counter sent;

	private final Counter failed;

	private final Counter dead;

	private volatile OutboxStore.@Nullable Backlog backlog;

	private volatile Instant readAt = Instant.MIN;

	public OutboxMetrics(OutboxStore store, Clock clock, MeterRegistry registry) {
		this.store = store;
		this.clock = clock;
		this.sent = Counter.builder("dtx.outbox.sent")
			.description("Outbox messages acknowledged by the broker")
			.register(registry);
		this.failed = Counter.builder("dtx.outbox.failed")
			.description("Failed attempts at sending an outbox message")
			.tag("dead", "false")
			.register(registry);
		this.dead = Counter.builder("dtx.outbox.failed")
			.description("Failed attempts at sending an outbox message")
			.tag("dead", "true")
			.register(registry);
		Gauge.builder("dtx.outbox.pending", this, (metrics) -> metrics.backlog().pending())
			.description("Outbox messages waiting to be sent")
			.register(registry);
		TimeGauge.builder("dtx.outbox.oldest.age", this, TimeUnit.MILLISECONDS, OutboxMetrics::oldestAgeMillis)
			.description("How long the oldest waiting outbox message has waited")
			.register(registry);
	}

	@Override
	public void sent(int count) {
		this.sent.increment(count);
	}

	@Override
	public void failed(int count, int dead) {
		this.failed.increment(count - dead);
		this.dead.increment(dead);
	}

	private double oldestAgeMillis() {
		Instant oldest = backlog().oldest();
		return (oldest != null) ? Math.max(0, Duration.between(oldest, this.clock.instant()).toMillis()) : 0;
	}

	private OutboxStore.Backlog backlog() {
		OutboxStore.Backlog backlog = this.backlog;
		Instant now = this.clock.instant();
		if (backlog == null || now.isAfter(this.readAt.plus(FRESH)) || now.isBefore(this.readAt)) {
			backlog = this.store.backlog();
			this.backlog = backlog;
			this.readAt = now;
		}
		return backlog;
	}

}
