package io.dtx.autoconfigure;

import java.time.Clock;
import javax.sql.DataSource;

import io.dtx.jdbc.DtxSchema;
import io.dtx.jdbc.DtxTables;
import io.dtx.jdbc.LocalTransactionCheck;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * dtx's tables, which the coordinator and the outbox both keep their data in: the
 * DataSource that holds them, their prefix, the clock of their timestamps, the check
 * that the transaction manager holds transactions on that DataSource, and the scheduler
 * of the periodic work done on them.
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
		DtxXaAutoConfiguration.class, DtxSchemaAutoConfiguration.class })
@ConditionalOnDtxEnabled
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties({ DtxProperties.class, DtxSchemaProperties.class })
public final class DtxTablesAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "dtxClock")
	Clock dtxClock() {
		return Clock.systemUTC();
	}

	@Bean
	DtxTables dtxTables(DtxProperties properties, DtxSchemaProperties schemaProperties, ListableBeanFactory beanFactory,
			ObjectProvider<DtxSchema> schema, ObjectProvider<Clock> dtxClock) {
		// dtx's tables, where dtx manages them, exist before anything reads them
		schema.getIfAvailable();
		return DtxTables.of(DtxDataSource.resolve(properties, beanFactory), schemaProperties.tablePrefix(),
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
	static DtxStartupReport dtxStartupReport(ApplicationContext context) {
		return new DtxStartupReport(context);
	}

	@Bean
	ThreadPoolTaskScheduler dtxScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("dtx-scheduler-");
		scheduler.setDaemon(true);
		return scheduler;
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
