package io.dtx.autoconfigure;

import java.nio.file.Path;
import java.util.UUID;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dtx refuses to start when its local transactions would not hold a transaction on the
 * DataSource of its tables: every statement would commit on its own.
 */
class LocalTransactionCheckTests {

	@TempDir
	Path logDir;

	private final String database = "local-tx-check-" + UUID.randomUUID();

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DtxXaAutoConfiguration.class, DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
					DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class))
			.withPropertyValues("dtx.xa.log-dir=" + this.logDir, "dtx.recovery.enabled=false",
					"dtx.retention.enabled=false");
	}

	@Test
	void transactionManagerOfDtxsDataSourceStarts() {
		contextRunner().withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + this.database)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void xaDataSourceUnderJtaStarts() {
		contextRunner().withPropertyValues("dtx.xa.datasources.orders.url=jdbc:h2:mem:orders-" + this.database)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void plainPoolUnderJtaIsRefusedNamingBothBeans() {
		// the trap: XA data sources make JTA the transaction manager, and dtx's tables sit
		// in a plain pool that JTA never enlists
		contextRunner().withUserConfiguration(PlainDataSource.class)
			.withPropertyValues("dtx.xa.datasources.orders.url=jdbc:h2:mem:orders-" + this.database,
					"dtx.data-source=plain")
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("transaction manager 'transactionManager'")
				.hasMessageContaining("JtaTransactionManager")
				.hasMessageContaining("dtx's DataSource 'plain'")
				.hasMessageContaining("auto-commit"));
	}

	@Test
	void transactionManagerOfAnotherDataSourceIsRefused() {
		contextRunner().withUserConfiguration(ManagerOfAnotherDataSource.class)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + this.database)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("transaction manager 'otherTransactionManager'")
				.hasMessageContaining("dtx's DataSource 'dataSource'")
				.hasMessageContaining("auto-commit"));
	}

	@Test
	void checkCanBeTurnedOff() {
		contextRunner().withUserConfiguration(ManagerOfAnotherDataSource.class)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + this.database,
					"dtx.verify-transaction-manager=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Configuration(proxyBeanMethods = false)
	static class PlainDataSource {

		@Bean
		DataSource plain() {
			return DataSourceBuilder.create().url("jdbc:h2:mem:plain-" + UUID.randomUUID()).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ManagerOfAnotherDataSource {

		@Bean
		PlatformTransactionManager otherTransactionManager() {
			return new JdbcTransactionManager(
					DataSourceBuilder.create().url("jdbc:h2:mem:other-" + UUID.randomUUID()).build());
		}

	}

}
