package io.dtx.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import io.dtx.core.Backoff;
import io.dtx.fence.BranchFence;
import io.dtx.jdbc.DtxTables;
import io.dtx.outbox.Inbox;
import io.dtx.outbox.Outbox;
import io.dtx.saga.orchestration.ParkedSagas;
import io.dtx.saga.orchestration.SagaDefinition;
import io.dtx.saga.orchestration.SagaDefinitions;
import io.dtx.saga.orchestration.SagaInstances;
import io.dtx.saga.orchestration.SagaListeners;
import io.dtx.saga.orchestration.SagaMetrics;
import io.dtx.saga.orchestration.SagaOrchestrator;
import io.dtx.saga.orchestration.SagaParticipants;
import io.dtx.saga.orchestration.SagaReplies;
import io.dtx.saga.orchestration.SagaRetention;
import io.dtx.saga.orchestration.SagaTimeouts;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Sagas by commands: the application's {@link SagaDefinition} beans, checked at start-up;
 * where the outbox and inbox are set up (Kafka), the orchestrator that drives them, its
 * listener on the reply channel, and the participants' {@code @SagaCommandHandler} methods
 * with a listener per channel, and the retention of finished sagas and of the fence rows of
 * saga commands.
 */
@AutoConfiguration(after = DtxOutboxAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnDtxEnabled
@ConditionalOnBooleanProperty(name = "dtx.saga.orchestration.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DtxSagaOrchestrationProperties.class)
public final class DtxSagaOrchestrationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(SagaDefinition.class)
	SagaDefinitions dtxSagaDefinitions(ObjectProvider<SagaDefinition<?>> definitions) {
		return new SagaDefinitions(definitions.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ SagaDefinition.class, DtxTables.class })
	SagaInstances dtxSagaInstances(DtxTables tables) {
		return new SagaInstances(tables);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ KafkaTemplate.class, KafkaProperties.class })
	@ConditionalOnBean({ Outbox.class, Inbox.class })
	static class OverKafkaConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(SagaDefinition.class)
		SagaOrchestrator dtxSagaOrchestrator(SagaDefinitions definitions, SagaInstances instances, Outbox outbox,
				ObjectProvider<JsonMapper> jsonMapper, PlatformTransactionManager transactionManager,
				DtxSagaOrchestrationProperties properties, Environment environment) {
			DtxSagaOrchestrationProperties.Compensation compensation = properties.compensation();
			return new SagaOrchestrator(definitions, instances, outbox,
					jsonMapper.getIfAvailable(JsonMapper::new), transactionManager, replyChannel(properties, environment),
					new SagaOrchestrator.Compensations(compensation.maxAttempts(),
							new Backoff(compensation.initialBackoff(), compensation.maxBackoff())));
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(SagaDefinition.class)
		SagaTimeouts dtxSagaTimeouts(SagaOrchestrator orchestrator, ThreadPoolTaskScheduler dtxScheduler,
				DtxSagaOrchestrationProperties properties) {
			return new SagaTimeouts(orchestrator, dtxScheduler, properties.timeoutCheckInterval());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(SagaDefinition.class)
		SagaReplies dtxSagaReplies(SagaOrchestrator orchestrator, Inbox inbox,
				ObjectProvider<KafkaProperties> kafkaProperties, DtxSagaOrchestrationProperties properties,
				Environment environment) {
			return new SagaReplies(orchestrator, inbox, new SagaListeners(consumerProperties(kafkaProperties)),
					replyChannel(properties, environment));
		}

		@Bean
		@ConditionalOnMissingBean
		SagaParticipants dtxSagaParticipants(ConfigurableListableBeanFactory beanFactory, Inbox inbox, Outbox outbox,
				ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<KafkaProperties> kafkaProperties,
				ObjectProvider<BranchFence> fence) {
			return new SagaParticipants(beanFactory, inbox, outbox, jsonMapper.getIfAvailable(JsonMapper::new),
					new SagaListeners(consumerProperties(kafkaProperties)), fence.getIfAvailable());
		}

		// the operations endpoint's view of the FAILED sagas, where Actuator is there to show it
		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(SagaDefinition.class)
		@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
		ParkedSagas dtxParkedSagas(SagaOrchestrator orchestrator) {
			return new ParkedSagas(orchestrator);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "dtx.saga.orchestration.retention.enabled", matchIfMissing = true)
		SagaRetention dtxSagaRetention(ObjectProvider<SagaInstances> instances, ObjectProvider<BranchFence> fence,
				DtxTables tables, ThreadPoolTaskScheduler dtxScheduler, DtxSagaOrchestrationProperties properties) {
			DtxSagaOrchestrationProperties.Retention retention = properties.retention();
			return new SagaRetention(instances.getIfAvailable(), fence.getIfAvailable(), dtxScheduler, tables.clock(),
					retention.keepFinished(), retention.interval());
		}

		private static Map<String, Object> consumerProperties(ObjectProvider<KafkaProperties> kafkaProperties) {
			return new HashMap<>(kafkaProperties.getIfAvailable(KafkaProperties::new).buildConsumerProperties());
		}

		static String replyChannel(DtxSagaOrchestrationProperties properties, Environment environment) {
			String replyChannel = properties.replyChannel();
			if (replyChannel != null && !replyChannel.isBlank()) {
				return replyChannel;
			}
			return environment.getProperty("spring.application.name", "dtx") + ".saga-replies";
		}

	}

	// its own class: where Micrometer is absent, none of its types may be named in a method the
	// conditions of the others introspect
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMeterRegistry
	@ConditionalOnBean({ Outbox.class, Inbox.class, SagaDefinition.class })
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SagaMetrics dtxSagaMetrics(SagaDefinitions definitions, SagaInstances instances, MeterRegistry meterRegistry) {
			return new SagaMetrics(definitions, instances, meterRegistry);
		}

	}

}
