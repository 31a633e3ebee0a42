package io.dtx.autoconfigure;

import java.time.Clock;
import javax.sql.DataSource;

import io.dtx.aop.ArgumentCodec;
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
import io.dtx.jdbc.DtxSchema;
import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.LocalTransactionCheck;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The coordinator core that TCC and sagas share: the log of global transactions, the
 * branch fence, the argument codec and recovery, all in the DataSource that holds dtx's
 * tables.
 */
@AutoConfiguration(
		after = { DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
				DtxXaAutoConfiguration.class, DtxSchemaAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnDtxEnabled
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(DtxProperties.class)
public final class DtxCoreAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "dtxClock")
	Clock dtxClock() {
		return Clock.systemUTC();
	}

	@Bean
	DtxTables dtxTables(DtxProperties properties, ListableBeanFactory beanFactory, ObjectProvider<DtxSchema> schema,
			ObjectProvider<Clock> dtxClock) {
		// dtx's tables, where dtx manages them, exist before anything reads them
		schema.getIfAvailable();
		return DtxTables.of(DtxDataSource.resolve(properties, beanFactory), properties.getSchema().getTablePrefix(),
				dtxClock.getObject());
	}

	// once every bean exists, so that an application's own transaction manager is the one checked
	@Bean
	@ConditionalOnBooleanProperty(name = "dtx.verify-transaction-manager", matchIfMissing = true)
	SmartInitializingSingleton dtxLocalTransactionCheck(DtxTables tables,
			ObjectProvider<PlatformTransactionManager> transactionManager, ListableBeanFactory beanFactory) {
		return () -> transactionManager.ifUnique((manager) -> LocalTransactionCheck.verify(tables.dataSource(),
				beanName(beanFactory, DataSource.class, tables.dataSource()), manager,
				beanName(beanFactory, PlatformTransactionManager.class, manager)));
	}

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
	ThreadPoolTaskExecutor dtxPhaseTwoExecutor(DtxProperties properties) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix("dtx-phase-two-");
		executor.setCorePoolSize(properties.getRecovery().getPhaseTwoThreads());
		executor.setDaemon(true);
		return executor;
	}

	@Bean
	ThreadPoolTaskScheduler dtxScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("dtx-scheduler-");
		scheduler.setDaemon(true);
		return scheduler;
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
			ObjectProvider<TransactionObserver> observer, DtxProperties properties) {
		return new TransactionModeSupport(log, fence, participantCalls,
				coordinatorTransactions(log, transactionManager, dtxScheduler, dtxPhaseTwoExecutor, properties),
				observer.getIfAvailable(() -> TransactionObserver.NONE), properties.getRecovery().getLease());
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
			ThreadPoolTaskScheduler dtxScheduler, ObjectProvider<InDoubtResolver> inDoubt) {
		DtxProperties.Recovery recovery = properties.getRecovery();
		String owner = DtxInstance.id(properties);
		Recovery.Settings settings = new Recovery.Settings(recovery.getInterval(), recovery.getLease(),
				recovery.getInitialBackoff(), recovery.getMaxBackoff(), recovery.getBatchSize());
		return new Recovery(log, modes, dtxScheduler, settings, owner, inDoubt.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "dtx.retention.enabled", matchIfMissing = true)
	Retention dtxRetention(GlobalTransactionLog log, BranchFence fence, ParticipantLog participants,
			ThreadPoolTaskScheduler dtxScheduler, DtxTables tables, DtxProperties properties) {
		DtxProperties.Retention retention = properties.getRetention();
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

	private static CoordinatorTransactions coordinatorTransactions(GlobalTransactionLog log,
			PlatformTransactionManager transactionManager, ThreadPoolTaskScheduler dtxScheduler,
			ThreadPoolTaskExecutor dtxPhaseTwoExecutor, DtxProperties properties) {
		DtxProperties.Recovery recovery = properties.getRecovery();
		return new CoordinatorTransactions(log, transactionManager, dtxScheduler, dtxPhaseTwoExecutor,
				new CoordinatorTransactions.FollowUpSettings(
						new Backoff(recovery.getInitialBackoff(), recovery.getMaxBackoff()), recovery.getLease(),
						DtxInstance.id(properties)));
	}

	private static <T> String beanName(ListableBeanFactory beanFactory, Class<T> type, T bean) {
		return beanFactory.getBeansOfType(type)
			.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() == bean)
			.map(java.util.Map.Entry::getKey)
			.findFirst()
			.orElse(bean.toString());
	}

}
