package io.dtx.autoconfigure;

import javax.sql.DataSource;

import io.dtx.aop.ArgumentCodec;
import io.dtx.coordinator.BranchEntry;
import io.dtx.coordinator.CoordinatorClient;
import io.dtx.coordinator.CoordinatorTransactions;
import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.InDoubtResolver;
import io.dtx.coordinator.MicrometerTransactionObserver;
import io.dtx.coordinator.ParticipantCalls;
import io.dtx.coordinator.ParticipantClient;
import io.dtx.coordinator.ParticipantLog;
import io.dtx.coordinator.Recovery;
import io.dtx.coordinator.Retention;
import io.dtx.coordinator.TransactionMode;
import io.dtx.coordinator.TransactionModeSupport;
import io.dtx.coordinator.TransactionModes;
import io.dtx.coordinator.TransactionObserver;
import io.dtx.core.Backoff;
import io.dtx.fence.BranchFence;
import io.dtx.jdbc.DtxTables;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The coordinator that TCC and sagas share: the log of global transactions, the branch
 * fence, the participant log, the argument codec, the phase-two executor, recovery and
 * retention of the coordinator's tables. {@code dtx.coordinator.enabled=false} turns it
 * off, and with it TCC and sagas, for a service that only uses the outbox.
 * <p>
 * It imports {@link DtxTablesAutoConfiguration} so that a test or an application that
 * names this auto-configuration alone, as it could before the tables had one of their
 * own, still gets the tables.
 */
@AutoConfiguration(after = DtxTablesAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnDtxEnabled
@ConditionalOnBooleanProperty(name = "dtx.coordinator.enabled", matchIfMissing = true)
// not on DtxTables: the configuration that imports the tables cannot wait for them
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties({ DtxProperties.class, DtxCoordinatorProperties.class, DtxRecoveryProperties.class,
		DtxRetentionProperties.class })
@Import(DtxTablesAutoConfiguration.class)
public final class DtxCoreAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	GlobalTransactionLog dtxGlobalTransactionLog(DtxTables tables) {
		return new GlobalTransactionLog(tables);
	}

	@Bean
	@ConditionalOnMissingBean
	BranchFence dtxBranchFence(DtxTables tables) {
		return new BranchFence(tables);
	}

	@Bean
	@ConditionalOnMissingBean
	ParticipantLog dtxParticipantLog(DtxTables tables) {
		return new ParticipantLog(tables);
	}

	@Bean
	@ConditionalOnMissingBean
	ArgumentCodec dtxArgumentCodec(ObjectProvider<JsonMapper> jsonMapper) {
		return new ArgumentCodec(jsonMapper.getIfAvailable(JsonMapper::new));
	}

	@Bean
	ThreadPoolTaskExecutor dtxPhaseTwoExecutor(DtxRecoveryProperties recovery) {
		return DtxExecutors.executor("dtx-phase-two-", recovery.phaseTwoThreads());
	}

	@Bean
	@ConditionalOnMissingBean
	ParticipantCalls dtxParticipantCalls(ParticipantLog participants, ObjectProvider<ParticipantClient> client) {
		return new ParticipantCalls(participants, client);
	}

	// what every mode's front class is built on, over the transaction manager its branches run in
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(PlatformTransactionManager.class)
	TransactionModeSupport dtxTransactionModeSupport(GlobalTransactionLog log, BranchFence fence,
			ParticipantCalls participantCalls, PlatformTransactionManager transactionManager,
			ThreadPoolTaskScheduler dtxScheduler, ThreadPoolTaskExecutor dtxPhaseTwoExecutor,
			ObjectProvider<TransactionObserver> observer, ObjectProvider<ObservationRegistry> observations,
			DtxProperties properties, DtxRecoveryProperties recovery) {
		return new TransactionModeSupport(log, fence, participantCalls,
				coordinatorTransactions(log, transactionManager, dtxScheduler, dtxPhaseTwoExecutor, properties, recovery),
				observer.getIfAvailable(() -> TransactionObserver.NONE), recovery.lease(),
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	// how every mode's first phase enters its transaction, over the same transaction manager
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(PlatformTransactionManager.class)
	BranchEntry dtxBranchEntry(GlobalTransactionLog log, BranchFence fence, PlatformTransactionManager transactionManager,
			ArgumentCodec codec, ObjectProvider<ObservationRegistry> observations) {
		return new BranchEntry(log, fence, transactionManager, codec::encode, codec::encodeValue,
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	// asks, through whichever CoordinatorClient there is (the web layer's), about branches in doubt
	@Bean
	@ConditionalOnMissingBean
	InDoubtResolver dtxInDoubtResolver(BranchFence fence, ObjectProvider<CoordinatorClient> coordinatorClient,
			TransactionModes modes, DtxTables tables, DtxRecoveryProperties recovery) {
		return new InDoubtResolver(fence, coordinatorClient, modes, tables.clock(), recovery.inDoubtDelay());
	}

	// every mode registers itself as a TransactionMode bean; the coordinator knows no other
	@Bean
	TransactionModes dtxTransactionModes(ObjectProvider<TransactionMode> modes) {
		return new TransactionModes(modes.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "dtx.recovery.enabled", matchIfMissing = true)
	Recovery dtxRecovery(GlobalTransactionLog log, TransactionModes modes, DtxProperties properties,
			DtxRecoveryProperties recovery, ThreadPoolTaskScheduler dtxScheduler,
			ObjectProvider<InDoubtResolver> inDoubt) {
		String owner = properties.instanceId();
		Recovery.Settings settings = new Recovery.Settings(recovery.interval(), recovery.lease(),
				recovery.initialBackoff(), recovery.maxBackoff(), recovery.batchSize());
		return new Recovery(log, modes, dtxScheduler, settings, owner, inDoubt.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "dtx.retention.enabled", matchIfMissing = true)
	Retention dtxRetention(GlobalTransactionLog log, BranchFence fence, ParticipantLog participants,
			ThreadPoolTaskScheduler dtxScheduler, DtxTables tables, DtxRetentionProperties retention) {
		return new Retention(log, fence, participants, dtxScheduler, tables.clock(), retention.keep(),
				retention.interval());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMeterRegistry
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TransactionObserver dtxMicrometerTransactionObserver(MeterRegistry meterRegistry) {
			return new MicrometerTransactionObserver(meterRegistry);
		}

	}

	private static CoordinatorTransactions coordinatorTransactions(GlobalTransactionLog log,
			PlatformTransactionManager transactionManager, ThreadPoolTaskScheduler dtxScheduler,
			ThreadPoolTaskExecutor dtxPhaseTwoExecutor, DtxProperties properties, DtxRecoveryProperties recovery) {
		return new CoordinatorTransactions(log, transactionManager, dtxScheduler, dtxPhaseTwoExecutor,
				new CoordinatorTransactions.FollowUpSettings(
						new Backoff(recovery.initialBackoff(), recovery.maxBackoff()), recovery.lease(),
						properties.instanceId()));
	}

}
