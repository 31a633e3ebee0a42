package io.dtx.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import io.dtx.jdbc.DtxTables;
import io.dtx.outbox.ContextHeaders;
import io.dtx.outbox.DtxProducerInterceptor;
import io.dtx.outbox.DtxRecordInterceptor;
import io.dtx.outbox.Inbox;
import io.dtx.outbox.InboxListenerInterceptor;
import io.dtx.outbox.MicrometerTraceHeaders;
import io.dtx.outbox.Outbox;
import io.dtx.outbox.OutboxMetrics;
import io.dtx.outbox.OutboxRelay;
import io.dtx.outbox.OutboxRetention;
import io.dtx.outbox.OutboxStore;
import io.dtx.outbox.RelayObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.kafka.config.AbstractKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CompositeRecordInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The transactional outbox relayed to Kafka, the inbox of its consumers, and the context
 * of global transactions carried in Kafka records.
 */
@AutoConfiguration(after = DtxTablesAutoConfiguration.class,
		afterName = { "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
				"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration" })
@ConditionalOnDtxEnabled
@ConditionalOnBooleanProperty(name = "dtx.outbox.enabled", matchIfMissing = true)
@ConditionalOnClass({ KafkaTemplate.class, KafkaProperties.class })
// not on DtxTables: the configuration that imports the tables cannot wait for them
@ConditionalOnBean({ DataSource.class, PlatformTransactionManager.class })
@EnableConfigurationProperties(DtxOutboxProperties.class)
@Import({ DtxTablesAutoConfiguration.class, DtxAutoProxyRegistrar.class })
public final class DtxOutboxAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OutboxStore dtxOutboxStore(DtxTables tables) {
		return new OutboxStore(tables);
	}

	@Bean
	@ConditionalOnMissingBean
	ContextHeaders dtxContextHeaders(ObjectProvider<ContextHeaders.TraceHeaders> traceHeaders) {
		return new ContextHeaders(traceHeaders.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	Outbox dtxOutbox(OutboxStore store, ObjectProvider<JsonMapper> jsonMapper, ContextHeaders contextHeaders,
			ObjectProvider<OutboxRelay> relay) {
		return new Outbox(store, jsonMapper.getIfAvailable(JsonMapper::new), contextHeaders,
				() -> relay.ifAvailable(OutboxRelay::wakeUp));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "dtx.outbox.relay-enabled", matchIfMissing = true)
	OutboxRelay dtxOutboxRelay(OutboxStore store, PlatformTransactionManager transactionManager,
			ObjectProvider<KafkaProperties> kafkaProperties, ObjectProvider<JsonMapper> jsonMapper,
			DtxOutboxProperties outbox, ObjectProvider<OutboxMetrics> metrics,
			ObjectProvider<ObservationRegistry> observations) {
		Map<String, Object> producerProperties = relayProducerProperties(
				kafkaProperties.getIfAvailable(KafkaProperties::new), outbox);
		// the relay's own, not a bean: a second ProducerFactory bean would make an application's
		// ProducerFactory<?, ?> injection points ambiguous. The relay resets it when it stops,
		// which closes the producer and its network thread.
		DefaultKafkaProducerFactory<String, byte[]> producerFactory = new DefaultKafkaProducerFactory<>(
				producerProperties, new StringSerializer(), new ByteArraySerializer());
		// by then the relay has had the answer to every send it waits for: closing need not wait
		producerFactory.setPhysicalCloseTimeout(5);
		return new OutboxRelay(store, transactionManager, producerFactory, jsonMapper.getIfAvailable(JsonMapper::new),
				new OutboxRelay.Settings(outbox.batchSize(), outbox.pollInterval(), outbox.maxAttempts(),
						outbox.initialBackoff(), outbox.maxBackoff(), outbox.sendTimeout(),
						outbox.linger()),
				metrics.stream().map(RelayObserver.class::cast).findFirst().orElse(RelayObserver.NONE),
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	@Bean
	@ConditionalOnMissingBean
	Inbox dtxInbox(DtxTables tables, PlatformTransactionManager transactionManager) {
		return new Inbox(tables, transactionManager);
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnOutboxRetentionCondition.class)
	OutboxRetention dtxOutboxRetention(OutboxStore store, Inbox inbox, ThreadPoolTaskScheduler dtxScheduler,
			DtxTables tables, DtxOutboxProperties outbox) {
		return new OutboxRetention(store, inbox, dtxScheduler, tables.clock(), new OutboxRetention.Settings(
				outbox.keepSent(), outbox.keepReceived(), outbox.retentionInterval()));
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor dtxInboxListenerAdvisor(ObjectProvider<Inbox> inbox) {
		return InboxListenerInterceptor.advisor(inbox::getObject);
	}

	@Bean
	static BeanPostProcessor dtxListenerContainerFactoryPostProcessor() {
		return new ListenerContainerFactoryPostProcessor();
	}

	@Bean
	DefaultKafkaProducerFactoryCustomizer dtxProducerInterceptorCustomizer() {
		return (factory) -> factory.updateConfigs(Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG,
				withInterceptor(factory.getConfigurationProperties().get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG))));
	}

	static Map<String, Object> relayProducerProperties(KafkaProperties kafkaProperties,
			DtxOutboxProperties outbox) {
		// the relay holds the order and the acknowledgement; a transactional id would fence instances
		Map<String, Object> properties = acknowledgedByAll(kafkaProperties, outbox.producer(), "dtx-outbox-relay",
				outbox.sendTimeout());
		properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
		return properties;
	}

	/**
	 * The properties of a producer of dtx's own, over Spring Boot's and {@code extra}: every
	 * record acknowledged by every in-sync replica, once, within {@code sendTimeout}, and no
	 * Kafka transaction.
	 */
	static Map<String, Object> acknowledgedByAll(KafkaProperties kafkaProperties, Map<String, String> extra,
			String clientId, Duration sendTimeout) {
		Map<String, Object> properties = new HashMap<>(kafkaProperties.buildProducerProperties());
		properties.putAll(extra);
		properties.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
		properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) sendTimeout.toMillis());
		properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendTimeout.toMillis());
		// the delivery timeout must cover linger and one request
		properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) sendTimeout.toMillis() / 2);
		return properties;
	}

	private static List<Object> withInterceptor(Object configured) {
		List<Object> interceptors = new ArrayList<>();
		if (configured instanceof String names && !names.isBlank()) {
			interceptors.addAll(Arrays.stream(names.split(",")).map(String::trim).toList());
		}
		else if (configured instanceof List<?> list) {
			interceptors.addAll(list);
		}
		else if (configured instanceof Class<?> type) {
			interceptors.add(type);
		}
		boolean present = interceptors.stream()
			.anyMatch((interceptor) -> interceptor.equals(DtxProducerInterceptor.class)
					|| interceptor.equals(DtxProducerInterceptor.class.getName()));
		if (!present) {
			interceptors.add(DtxProducerInterceptor.class);
		}
		return interceptors;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMeterRegistry
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OutboxMetrics dtxOutboxMetrics(OutboxStore store, DtxTables tables, MeterRegistry meterRegistry) {
			return new OutboxMetrics(store, tables.clock(), meterRegistry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Tracer.class)
	@ConditionalOnBean({ Tracer.class, Propagator.class })
	static class TracingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ContextHeaders.TraceHeaders dtxTraceHeaders(Tracer tracer, Propagator propagator) {
			return new MicrometerTraceHeaders(tracer, propagator);
		}

	}

	/**
	 * Adds {@link DtxRecordInterceptor} to every listener container factory, after any
	 * interceptor of the application's.
	 */
	static final class ListenerContainerFactoryPostProcessor implements BeanPostProcessor {

		@Override
		@SuppressWarnings({ "unchecked", "rawtypes" })
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof AbstractKafkaListenerContainerFactory<?, ?, ?> factory) {
				RecordInterceptor existing = factory.getRecordInterceptor();
				if (!(existing instanceof DtxRecordInterceptor)) {
					AbstractKafkaListenerContainerFactory raw = factory;
					raw.setRecordInterceptor((existing != null)
							? new CompositeRecordInterceptor(new DtxRecordInterceptor(), existing)
							: new DtxRecordInterceptor());
				}
			}
			return bean;
		}

	}

}
