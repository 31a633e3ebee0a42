package io.dtx.autoconfigure;

import java.util.function.BooleanSupplier;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.ParticipantClient;
import io.dtx.coordinator.Recovery;
import io.dtx.fence.BranchFence;
import io.dtx.jdbc.DtxTables;
import io.dtx.notify.Notifications;
import io.dtx.ops.DeadMessages;
import io.dtx.ops.DtxEndpoint;
import io.dtx.ops.DtxHealthIndicator;
import io.dtx.ops.DtxMetrics;
import io.dtx.ops.DtxOperations;
import io.dtx.ops.ExhaustedNotifications;
import io.dtx.ops.FailedSagas;
import io.dtx.ops.ParkedWork;
import io.dtx.outbox.Outbox;
import io.dtx.outbox.OutboxRelay;
import io.dtx.saga.Sagas;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Operating dtx, where the application has Actuator: the endpoint {@code dtx} (where
 * exposed), the health contributor {@code dtx} and the gauges (with a
 * {@code MeterRegistry}). What each mode parks for an operator is a
 * {@link ParkedWork} bean, declared here for the modes of this starter; a later mode
 * declares its own in its auto-configuration, and this one, running after, picks it up.
 */
@AutoConfiguration(
		after = { DtxTablesAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxSagaAutoConfiguration.class,
				DtxTccAutoConfiguration.class, DtxOutboxAutoConfiguration.class, DtxNotifyAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnDtxEnabled
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(DtxTables.class)
public final class DtxOpsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DtxOperations dtxOperations(DtxTables tables, ObjectProvider<GlobalTransactionLog> log,
			ObjectProvider<Recovery> recovery, ObjectProvider<BranchFence> fence,
			ObjectProvider<ParticipantClient> participantClient, ObjectProvider<ParkedWork> parked) {
		return new DtxOperations(tables, log.getIfAvailable(), recovery.getIfAvailable(), fence.getIfAvailable(),
				participantClient.getIfAvailable(), parked.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	DtxEndpoint dtxEndpoint(DtxOperations operations) {
		return new DtxEndpoint(operations);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ Sagas.class, GlobalTransactionLog.class })
	static class FailedSagasConfiguration {

		@Bean
		@ConditionalOnMissingBean
		FailedSagas dtxFailedSagas(Sagas sagas, GlobalTransactionLog log) {
			return new FailedSagas(sagas, log);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Outbox.class)
	static class DeadMessagesConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DeadMessages dtxDeadMessages(Outbox outbox) {
			return new DeadMessages(outbox);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(Notifications.class)
	static class ExhaustedNotificationsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ExhaustedNotifications dtxExhaustedNotifications(Notifications notifications) {
			return new ExhaustedNotifications(notifications);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class HealthConfiguration {

		private static final String KAFKA = "org.springframework.kafka.core.KafkaTemplate";

		@Bean
		@ConditionalOnMissingBean(name = "dtxHealthIndicator")
		@ConditionalOnEnabledHealthIndicator("dtx")
		DtxHealthIndicator dtxHealthIndicator(DtxOperations operations, ListableBeanFactory beanFactory) {
			boolean kafka = ClassUtils.isPresent(KAFKA, DtxOpsAutoConfiguration.class.getClassLoader());
			return new DtxHealthIndicator(operations, kafka ? Relays.running(beanFactory) : null);
		}

	}

	// loaded only where Kafka is, as the outbox relay's class needs it
	private static final class Relays {

		static @Nullable BooleanSupplier running(ListableBeanFactory beanFactory) {
			ObjectProvider<OutboxRelay> relays = beanFactory.getBeanProvider(OutboxRelay.class);
			if (relays.stream().findAny().isEmpty()) {
				return null;
			}
			return () -> relays.stream().anyMatch(OutboxRelay::isRunning);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMeterRegistry
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DtxMetrics dtxOpsMetrics(DtxOperations operations, DtxTables tables, MeterRegistry meterRegistry) {
			return new DtxMetrics(operations, tables.clock(), meterRegistry);
		}

	}

}
