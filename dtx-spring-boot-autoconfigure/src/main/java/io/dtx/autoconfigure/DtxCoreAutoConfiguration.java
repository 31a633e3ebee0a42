package io.dtx.autoconfigure;

import java.util.List;

import javax.sql.DataSource;

import io.dtx.core.ArgumentCodec;
import io.dtx.core.Backoff;
import io.dtx.core.BranchFence;
import io.dtx.core.CoordinatorTransactions;
import io.dtx.core.GlobalTransactionDriver;
import io.dtx.core.GlobalTransactionLog;
import io.dtx.core.InDoubtResolver;
import io.dtx.core.MicrometerTransactionObserver;
import io.dtx.core.ParticipantLog;
import io.dtx.core.Recovery;
import io.dtx.core.Retention;
import io.dtx.core.TransactionObserver;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
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
		return tables.store(GlobalTransactionLog::new);
	}

	@Bean
	@ConditionalOnMissingBean
	BranchFence dtxBranchFence(DtxTables tables) {
		return tables.store(BranchFence::new);
	}

	@Bean
	@ConditionalOnMissingBean
	ParticipantLog dtxParticipantLog(DtxTables tables) {
		return tables.store(ParticipantLog::new);
	}

	@Bean
	@ConditionalOnMissingBean
	ArgumentCodec dtxArgumentCodec(ObjectProvider<JsonMapper> jsonMapper) {
		return new ArgumentCodec(jsonMapper.getIfAvailable(JsonMapper::new));
	}

	@Bean
	ThreadPoolTaskExecutor dtxPhaseTwoExecutor(DtxRecoveryProperties recovery) {
		return DtxExecutors.executor("dtx-phase-two-", recovery.getPhaseTwoThreads());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "dtx.recovery.enabled", matchIfMissing = true)
	Recovery dtxRecovery(GlobalTransactionLog log, List<GlobalTransactionDriver> drivers, DtxProperties properties,
			DtxRecoveryProperties recovery, ThreadPoolTaskScheduler dtxScheduler,
			ObjectProvider<InDoubtResolver> inDoubt) {
		String owner = DtxInstance.id(properties);
		Recovery.Settings settings = new Recovery.Settings(recovery.getInterval(), recovery.getLease(),
				recovery.getInitialBackoff(), recovery.getMaxBackoff(), recovery.getBatchSize());
		return new Recovery(log, drivers, dtxScheduler, settings, owner, inDoubt.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "dtx.retention.enabled", matchIfMissing = true)
	Retention dtxRetention(GlobalTransactionLog log, BranchFence fence, ParticipantLog participants,
			ThreadPoolTaskScheduler dtxScheduler, DtxTables tables, DtxRetentionProperties retention) {
		return new Retention(log, fence, participants, dtxScheduler, tables.clock(), retention.getKeep(),
				retention.getInterval());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TransactionObserver dtxMicrometerTransactionObserver(MeterRegistry meterRegistry) {
			return new MicrometerTransactionObserver(meterRegistry);
		}

	}

	// each mode's coordinator has its own, over the transaction manager it runs branches with
	static CoordinatorTransactions coordinatorTransactions(GlobalTransactionLog log,
			PlatformTransactionManager transactionManager, ThreadPoolTaskScheduler dtxScheduler,
			ThreadPoolTaskExecutor dtxPhaseTwoExecutor, DtxProperties properties, DtxRecoveryProperties recovery) {
		return new CoordinatorTransactions(log, transactionManager, dtxScheduler, dtxPhaseTwoExecutor,
				new CoordinatorTransactions.FollowUpSettings(
						new Backoff(recovery.getInitialBackoff(), recovery.getMaxBackoff()), recovery.getLease(),
						DtxInstance.id(properties)));
	}

}
