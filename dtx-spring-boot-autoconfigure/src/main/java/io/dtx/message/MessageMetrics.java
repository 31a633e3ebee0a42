package io.dtx.message;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The resolver's meters, read from its own counts when scraped, so nothing is added to its
 * path: {@code dtx.messages.pending} (half messages of the partitions it resolves, waiting
 * for their outcome), and the counters {@code dtx.messages.delivered},
 * {@code dtx.messages.dropped} and {@code dtx.messages.checks}.
 */
public class MessageMetrics {

	public MessageMetrics(MessageResolver resolver, MeterRegistry registry) {
		Gauge.builder("dtx.messages.pending", resolver, MessageResolver::pending)
			.description("Half messages of the partitions this instance resolves, waiting for their outcome")
			.register(registry);
		FunctionCounter.builder("dtx.messages.delivered", resolver, MessageResolver::delivered)
			.description("Committed messages this instance delivered")
			.register(registry);
		FunctionCounter.builder("dtx.messages.dropped", resolver, MessageResolver::dropped)
			.description("Rolled-back messages this instance dropped")
			.register(registry);
		FunctionCounter.builder("dtx.messages.checks", resolver, MessageResolver::checks)
			.description("Check-backs this instance sent, failed ones included")
			.register(registry);
	}

}
