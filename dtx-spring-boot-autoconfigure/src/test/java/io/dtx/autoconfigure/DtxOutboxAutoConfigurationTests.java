package io.dtx.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.outbox.ContextHeaders;
import io.dtx.outbox.DtxProducerInterceptor;
import io.dtx.outbox.DtxRecordInterceptor;
import io.dtx.outbox.Inbox;
import io.dtx.outbox.MicrometerTraceHeaders;
import io.dtx.outbox.Outbox;
import io.dtx.outbox.OutboxMetrics;
import io.dtx.outbox.OutboxRelay;
import io.dtx.outbox.OutboxRetention;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox's auto-configuration: what it sets up, and when it backs off.
 */
class DtxOutboxAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, KafkaAutoConfiguration.class,
				DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxOutboxAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(), "dtx.recovery.enabled=false",
				"dtx.outbox.relay-enabled=false");

	@Test
	void setsUpTheOutboxTheInboxAndRetention() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Outbox.class)
				.hasSingleBean(Inbox.class)
				.hasSingleBean(OutboxRetention.class)
				.doesNotHaveBean(OutboxRelay.class)
				.doesNotHaveBean(OutboxMetrics.class);
			assertThat(context.getBean(ContextHeaders.class)).extracting("trace").isNull();
		});
	}

	@Test
	void relaysWhereRelayingIsOn() {
		this.contextRunner.withPropertyValues("dtx.outbox.relay-enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(OutboxRelay.class));
	}

	@Test
	void backsOffWithoutKafka() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Outbox.class));
	}

	@Test
	void backsOffWhenTurnedOff() {
		this.contextRunner.withPropertyValues("dtx.outbox.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Outbox.class).doesNotHaveBean(Inbox.class));
		this.contextRunner.withPropertyValues("dtx.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Outbox.class));
	}

	@Test
	void retentionIsTurnedOffByItsOwnKeyOrElseByTheCoordinatorsAsBefore() {
		this.contextRunner.withPropertyValues("dtx.outbox.retention-enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OutboxRetention.class).hasSingleBean(Outbox.class));
		this.contextRunner.withPropertyValues("dtx.retention.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OutboxRetention.class));
		this.contextRunner.withPropertyValues("dtx.retention.enabled=false", "dtx.outbox.retention-enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(OutboxRetention.class));
	}

	@Test
	void needsNoCoordinator() {
		this.contextRunner.withPropertyValues("dtx.coordinator.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(Outbox.class)
				.hasSingleBean(OutboxRetention.class)
				.doesNotHaveBean(GlobalTransactionLog.class));
	}

	@Test
	void keepsAnOutboxOfTheApplications() {
		this.contextRunner.withBean("myOutbox", Outbox.class, () -> new Outbox(null, null, null, () -> {
		})).run((context) -> assertThat(context).getBean(Outbox.class).isSameAs(context.getBean("myOutbox")));
	}

	@Test
	void metersTheOutboxWhereAMeterRegistryIsThere() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).hasSingleBean(OutboxMetrics.class));
	}

	@Test
	void carriesTheTraceContextWhereMicrometerTracingIsThere() {
		this.contextRunner.withBean(Tracer.class, SimpleTracer::new)
			.withBean(Propagator.class, () -> Propagator.NOOP)
			.run((context) -> assertThat(context.getBean(ContextHeaders.TraceHeaders.class))
				.isInstanceOf(MicrometerTraceHeaders.class));
	}

	@Test
	@SuppressWarnings("unchecked")
	void addsTheContextToKafkaTemplateRecordsAndListenerThreads() {
		this.contextRunner.withPropertyValues("spring.kafka.producer.properties.interceptor.classes=com.example.Audit")
			.run((context) -> {
				DefaultKafkaProducerFactory<?, ?> factory = context.getBean(DefaultKafkaProducerFactory.class);
				assertThat((List<Object>) factory.getConfigurationProperties().get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG))
					.containsExactly("com.example.Audit", DtxProducerInterceptor.class);
				RecordInterceptor<?, ?> interceptor = context.getBean(ConcurrentKafkaListenerContainerFactory.class)
					.getRecordInterceptor();
				assertThat(interceptor).isInstanceOf(DtxRecordInterceptor.class);
			});
	}

	@Test
	void keepsTheApplicationsRecordInterceptorBesideItsOwn() {
		RecordInterceptor<Object, Object> own = (record, consumer) -> record;
		this.contextRunner.withBean(RecordInterceptor.class, () -> own)
			.run((context) -> assertThat(context.getBean(ConcurrentKafkaListenerContainerFactory.class)
				.getRecordInterceptor()).isInstanceOf(CompositeRecordInterceptor.class));
	}

	@Test
	void relayProducerIsIdempotentAndAcknowledgedByAll() {
		DtxOutboxProperties outbox = new Binder(
				new MapConfigurationPropertySource(Map.of("dtx.outbox.producer.compression.type", "lz4")))
			.bind("dtx.outbox", DtxOutboxProperties.class)
			.get();
		KafkaProperties kafka = new KafkaProperties();
		kafka.getProducer().setAcks("1");
		kafka.getProducer().setTransactionIdPrefix("tx-");
		Map<String, Object> properties = DtxOutboxAutoConfiguration.relayProducerProperties(kafka, outbox);
		assertThat(properties).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
			.containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
			.containsEntry("compression.type", "lz4")
			.doesNotContainKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
	}

}
