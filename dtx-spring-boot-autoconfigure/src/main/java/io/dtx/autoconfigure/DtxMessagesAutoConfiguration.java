package io.dtx.autoconfigure;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import io.dtx.jdbc.DtxTables;
import io.dtx.message.CheckBackClient;
import io.dtx.message.MessageBarrier;
import io.dtx.message.MessageCheckBack;
import io.dtx.message.MessageMetrics;
import io.dtx.message.MessageResolver;
import io.dtx.message.MessageRetention;
import io.dtx.message.ParkedMessages;
import io.dtx.message.TransactionalMessages;
import io.dtx.outbox.ContextHeaders;
import io.dtx.web.RequestSigner;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.bind.annotation.RestController;

/**
 * Transactional messages with check-back on Kafka: {@link TransactionalMessages}, the
 * barrier in dtx's tables, and, in a servlet web application, the signed check-back
 * endpoint the resolver asks.
 */
@AutoConfiguration(after = { DtxTablesAutoConfiguration.class, DtxOutboxAutoConfiguration.class,
		DtxWebAutoConfiguration.class }, afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnDtxEnabled
@ConditionalOnBooleanProperty(name = "dtx.messages.enabled", matchIfMissing = true)
@ConditionalOnClass({ KafkaTemplate.class, KafkaProperties.class })
@ConditionalOnBean({ DataSource.class, PlatformTransactionManager.class })
@EnableConfigurationProperties({ DtxMessagesProperties.class, DtxHttpProperties.class })
@Import(DtxTablesAutoConfiguration.class)
public final class DtxMessagesAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MessageBarrier dtxMessageBarrier(DtxTables tables) {
		return new MessageBarrier(tables);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "dtx.messages.retention-enabled", matchIfMissing = true)
	MessageRetention dtxMessageRetention(MessageBarrier barrier, ThreadPoolTaskScheduler dtxScheduler, DtxTables tables,
			DtxMessagesProperties messages) {
		return new MessageRetention(barrier, dtxScheduler, tables.clock(), messages.keepBarriers(),
				messages.retentionInterval());
	}

	@Bean
	@ConditionalOnMissingBean
	TransactionalMessages dtxTransactionalMessages(MessageBarrier barrier, PlatformTransactionManager transactionManager,
			ObjectProvider<KafkaProperties> kafkaProperties, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<ContextHeaders> contextHeaders, DtxMessagesProperties messages, DtxHttpProperties http,
			Environment environment) {
		// dtx's own producer, not a bean: a second ProducerFactory bean would make an
		// application's injection points ambiguous; closed with TransactionalMessages
		DefaultKafkaProducerFactory<String, byte[]> producerFactory = new DefaultKafkaProducerFactory<>(
				producerProperties(kafkaProperties.getIfAvailable(KafkaProperties::new), messages),
				new StringSerializer(), new ByteArraySerializer());
		return new TransactionalMessages(barrier, transactionManager, new KafkaTemplate<>(producerFactory),
				jsonMapper.getIfAvailable(JsonMapper::new), contextHeaders.getIfAvailable(() -> new ContextHeaders(null)),
				new TransactionalMessages.Settings(messages.halfTopic(), messages.sendTimeout()),
				DtxWebAutoConfiguration.selfUrl(http, environment));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "dtx.messages.resolver.enabled", matchIfMissing = true)
	MessageResolver dtxMessageResolver(ObjectProvider<KafkaProperties> kafkaProperties,
			ObjectProvider<RequestSigner> signer, ObjectProvider<JsonMapper> jsonMapper, DtxMessagesProperties messages,
			DtxHttpProperties http, DtxTables tables) {
		KafkaProperties kafka = kafkaProperties.getIfAvailable(KafkaProperties::new);
		DtxMessagesProperties.Resolver resolver = messages.resolver();
		RequestSigner requestSigner = signer.getIfAvailable(() -> (http.secret() != null)
				? new RequestSigner(http.secret(), http.maxClockSkew(), tables.clock()) : null);
		CheckBackClient checkBack = (requestSigner != null) ? new CheckBackClient(requestSigner,
				jsonMapper.getIfAvailable(JsonMapper::new), http.basePath(), http.connectTimeout(), http.readTimeout())
				: null;
		return new MessageResolver(resolverConsumerProperties(kafka, resolver), resolverProducerProperties(kafka, messages),
				new MessageResolver.Settings(messages.halfTopic(), resolver.checkAfter(), resolver.initialBackoff(),
						resolver.maxBackoff(), resolver.pollTimeout(), resolver.maxChecks()),
				checkBack, tables.clock());
	}

	// the operations endpoint's view of the parked messages, where Actuator is there to show it
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "dtx.messages.resolver.enabled", matchIfMissing = true)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	ParkedMessages dtxParkedMessages(MessageResolver resolver) {
		return new ParkedMessages(resolver);
	}

	static Map<String, Object> resolverConsumerProperties(KafkaProperties kafka, DtxMessagesProperties.Resolver resolver) {
		Map<String, Object> properties = new HashMap<>(kafka.buildConsumerProperties());
		properties.putAll(resolver.consumer());
		// what an aborted delivery left is never read, and offsets move only with a delivery
		properties.put(ConsumerConfig.GROUP_ID_CONFIG, resolver.groupId());
		properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "dtx-messages-resolver");
		return properties;
	}

	static Map<String, Object> resolverProducerProperties(KafkaProperties kafka, DtxMessagesProperties messages) {
		Map<String, Object> properties = new HashMap<>(kafka.buildProducerProperties());
		properties.putAll(messages.producer());
		// one transactional id per instance: zombies are fenced by the group's generation (KIP-447)
		properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "dtx-messages-resolver-" + UUID.randomUUID());
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		properties.put(ProducerConfig.CLIENT_ID_CONFIG, "dtx-messages-resolver");
		// its transactions take milliseconds; one left open by a killed resolver holds back the
		// reading of its partitions until the broker aborts it, this long after it began
		properties.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10000);
		// initTransactions waits for the broker this long at most, not a wakeup: a resolver
		// started without a broker stops within it, and tries again after its backoff
		properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
		return properties;
	}

	static Map<String, Object> producerProperties(KafkaProperties kafkaProperties, DtxMessagesProperties messages) {
		// a half message is written before its local transaction, which waits for it: no linger
		Map<String, Object> properties = DtxOutboxAutoConfiguration.acknowledgedByAll(kafkaProperties,
				messages.producer(), "dtx-messages", messages.sendTimeout());
		properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
		return properties;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMeterRegistry
	@ConditionalOnBooleanProperty(name = "dtx.messages.resolver.enabled", matchIfMissing = true)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MessageMetrics dtxMessageMetrics(MessageResolver resolver, MeterRegistry meterRegistry) {
			return new MessageMetrics(resolver, meterRegistry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(RestController.class)
	static class CheckBackConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RequestSigner dtxRequestSigner(DtxHttpProperties http, DtxTables tables) {
			return new RequestSigner(http.secret(), http.maxClockSkew(), tables.clock());
		}

		@Bean
		@ConditionalOnMissingBean
		MessageCheckBack dtxMessageCheckBack(RequestSigner signer, MessageBarrier barrier) {
			return new MessageCheckBack(signer, barrier);
		}

	}

}
