package io.dtx.tcc;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import io.dtx.tcc.RemoteTccTests.OrderApplication;
import io.dtx.tcc.RemoteTccTests.PaymentApplication;
import io.dtx.tcc.RemoteTccTests.RemoteOrders;
import io.dtx.test.Ports;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.ServerHttpObservationFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * dtx's Observations under a real tracer (Brave, through Micrometer Tracing's bridge), in
 * the two services of {@link RemoteTccTests}: one trace holds the order's global
 * transaction, its local try, the HTTP call to the payment service, the payment's try
 * there, and phase two on both sides, the payment's reached through dtx's own signed
 * phase-two call. The tracer is wired here as an application would wire it (Spring
 * Boot's tracing modules do the same), and only in these two applications.
 */
class TracingTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final Spans spans = new Spans();

	private ConfigurableApplicationContext orderService;

	private ConfigurableApplicationContext paymentService;

	private int paymentPort;

	@BeforeEach
	void start() throws Exception {
		this.paymentPort = Ports.free();
		this.paymentService = start(PaymentApplication.class, "payment", "server.port=" + this.paymentPort);
		this.orderService = start(OrderApplication.class, "order", "server.port=0",
				"payment.url=http://localhost:" + this.paymentPort);
	}

	private ConfigurableApplicationContext start(Class<?> application, String name, String... properties) {
		return new SpringApplicationBuilder(application, TracingConfiguration.class)
			.initializers((context) -> context.getBeanFactory().registerSingleton("spans", this.spans))
			.properties(RemoteTccTests.common(name))
			.properties("spring.datasource.url=jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
			.properties(properties)
			.run();
	}

	@AfterEach
	void stop() {
		if (this.orderService != null) {
			this.orderService.close();
		}
		if (this.paymentService != null) {
			this.paymentService.close();
		}
	}

	@Test
	void oneTraceHoldsTheTransactionItsBranchesTheCallAndPhaseTwoOnBothSides() {
		assertThat(orders().placeOrder(2, 20, false)).isEqualTo("ordered");

		MutableSpan transaction = this.spans.find("order", "dtx remote-order");
		String trace = transaction.traceId();
		assertThat(transaction.parentId()).as("the transaction starts the trace").isNull();
		assertThat(transaction.tags()).containsEntry("dtx.name", "remote-order").containsEntry("dtx.mode", "TCC");
		assertThat(this.spans.find("order", "dtx branch stock#reserve").traceId()).isEqualTo(trace);
		assertThat(this.spans.find("order", "dtx confirm").traceId()).isEqualTo(trace);
		assertThat(this.spans.find("payment", "dtx branch payment#freeze").traceId())
			.as("the payment's try, in the call that carried the trace")
			.isEqualTo(trace);
		MutableSpan remotePhaseTwo = this.spans.find("payment", "dtx confirm");
		assertThat(remotePhaseTwo.traceId()).as("the payment's confirm, reached by dtx's phase-two call")
			.isEqualTo(trace);
		assertThat(remotePhaseTwo.tags()).containsEntry("dtx.decision", "confirm");
		assertThat(this.spans.find("payment", "http post /dtx/phase-two").traceId()).isEqualTo(trace);
	}

	@Test
	void phaseTwoOffTheCallersThreadStaysInTheTransactionsTrace() {
		this.orderService.close();
		this.orderService = start(OrderApplication.class, "order", "server.port=0",
				"payment.url=http://localhost:" + this.paymentPort, "dtx.tcc.async-phase-two=true");
		assertThat(orders().placeOrder(2, 20, false)).isEqualTo("ordered");

		String trace = this.spans.find("order", "dtx remote-order").traceId();
		MutableSpan confirm = this.spans.find("order", "dtx confirm");
		assertThat(confirm.traceId()).as("the order's confirm, run on dtx's executor").isEqualTo(trace);
		assertThat(this.spans.find("payment", "dtx confirm").traceId()).isEqualTo(trace);
	}

	@Test
	void aTransactionThatThrowsIsAnErrorSpanAndItsCancelsAreInTheTrace() {
		assertThatIllegalStateException().isThrownBy(() -> orders().placeOrder(2, 20, true))
			.withMessage("shipping refused");

		MutableSpan transaction = this.spans.find("order", "dtx remote-order");
		assertThat(transaction.error()).hasMessage("shipping refused");
		assertThat(this.spans.find("order", "dtx cancel").traceId()).isEqualTo(transaction.traceId());
		assertThat(this.spans.find("payment", "dtx cancel").traceId()).isEqualTo(transaction.traceId());
	}

	private RemoteOrders orders() {
		return this.orderService.getBean(RemoteOrders.class);
	}

	/**
	 * Brave reporting to {@link Spans}, bridged to Micrometer Tracing, with the handlers
	 * Spring Boot's tracing auto-configuration registers, and HTTP observed on both sides.
	 */
	@Configuration(proxyBeanMethods = false)
	static class TracingConfiguration {

		@Bean(destroyMethod = "close")
		Tracing braveTracing(Spans spans, @Value("${spring.application.name}") String name) {
			return Tracing.newBuilder().localServiceName(name).sampler(Sampler.ALWAYS_SAMPLE).addSpanHandler(spans).build();
		}

		@Bean
		Tracer tracer(Tracing tracing) {
			return new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
					new BraveBaggageManager());
		}

		@Bean
		Propagator propagator(Tracing tracing) {
			return new BravePropagator(tracing);
		}

		@Bean
		ObservationRegistry observationRegistry(Tracer tracer, Propagator propagator) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(new FirstMatchingCompositeObservationHandler(
						new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
						new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
						new DefaultTracingObservationHandler(tracer)));
			return registry;
		}

		@Bean
		FilterRegistrationBean<ServerHttpObservationFilter> serverObservation(ObservationRegistry registry) {
			FilterRegistrationBean<ServerHttpObservationFilter> registration = new FilterRegistrationBean<>(
					new ServerHttpObservationFilter(registry));
			// first, so that dtx's own filter runs inside the request's observation
			registration.setOrder(Integer.MIN_VALUE);
			return registration;
		}

		@Bean
		RestClientCustomizer clientObservation(ObservationRegistry registry) {
			return (builder) -> builder.observationRegistry(registry);
		}

	}

	/**
	 * The spans both services finished, as Brave reports them.
	 */
	static class Spans extends SpanHandler {

		private final List<MutableSpan> finished = new CopyOnWriteArrayList<>();

		@Override
		public boolean end(TraceContext context, MutableSpan span, Cause cause) {
			this.finished.add(span);
			return true;
		}

		@Override
		public String toString() {
			return this.finished.stream().map((span) -> span.localServiceName() + ":" + span.name()).toList().toString();
		}

		// a span is reported when it ends: phase two's may end just after the caller returned
		MutableSpan find(String service, String name) {
			return await("a span " + name + " of " + service + " among " + this)
				.atMost(TIMEOUT)
				.until(() -> this.finished.stream()
					.filter((span) -> service.equals(span.localServiceName()) && name.equals(span.name()))
					.findFirst()
					.orElse(null), (span) -> span != null);
		}

	}

}
