package io.dtx.outbox;

import java.util.function.BiConsumer;

import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * The current span of Micrometer Tracing as headers, in the format of its propagator
 * (W3C {@code traceparent} by default), as Spring Kafka's own observation writes them.
 */
public class MicrometerTraceHeaders implements ContextHeaders.TraceHeaders {

	private final Tracer tracer;

	private final Propagator propagator;

	public MicrometerTraceHeaders(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	@Override
	public void write(BiConsumer<String, String> header) {
		TraceContext context = this.tracer.currentTraceContext().context();
		if (context != null) {
			this.propagator.inject(context, header, BiConsumer::accept);
		}
	}

}
