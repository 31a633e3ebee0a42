package io.dtx.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

import com.atomikos.datasource.RecoverableResource;
import com.atomikos.icatch.jta.UserTransactionManager;
import io.dtx.xa.AtomikosTransactionService;
import io.dtx.xa.DtxXaDataSource;
import io.dtx.xa.XaConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.jta.JtaTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link DtxXaAutoConfiguration} applies, and when it backs off.
 */
class DtxXaAutoConfigurationTests {

	@TempDir
	Path logDir;

	private final String database = "xa-conditions-" + UUID.randomUUID();

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DtxXaAutoConfiguration.class, DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class))
			.withPropertyValues("dtx.xa.log-dir=" + this.logDir);
	}

	private String[] twoDataSources() {
		return new String[] { "dtx.xa.datasources.orders.url=jdbc:h2:mem:orders-" + this.database,
				"dtx.xa.datasources.orders.primary=true",
				"dtx.xa.datasources.stock.url=jdbc:h2:mem:stock-" + this.database };
	}

	@Test
	void declaredDataSourcesGetAtomikosAndJta() {
		contextRunner().withPropertyValues(twoDataSources()).run((context) -> {
			assertThat(context).hasSingleBean(AtomikosTransactionService.class)
				.hasSingleBean(UserTransactionManager.class)
				.hasSingleBean(JtaTransactionManager.class);
			assertThat(context.getBeansOfType(DataSource.class)).containsOnlyKeys("orders", "stock");
			assertThat(context.getBean(DataSource.class)).isSameAs(context.getBean("orders"));
			assertThat(context.getBean("stock", DtxXaDataSource.class).getUrl()).startsWith("jdbc:h2:mem:stock-");
		});
	}

	@Test
	void noDeclaredDataSourceLeavesBootsOwnDataSourceAndTransactionManager() {
		contextRunner().withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + this.database).run((context) -> {
			assertThat(context).doesNotHaveBean(AtomikosTransactionService.class)
				.doesNotHaveBean(JtaTransactionManager.class)
				.hasSingleBean(DataSource.class);
			assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(DataSourceTransactionManager.class);
		});
	}

	@Test
	void xaDisabledBacksOff() {
		contextRunner().withPropertyValues(twoDataSources())
			.withPropertyValues("dtx.xa.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AtomikosTransactionService.class)
				.doesNotHaveBean(JtaTransactionManager.class)
				.doesNotHaveBean(DtxXaDataSource.class));
	}

	@Test
	void dtxDisabledBacksOff() {
		contextRunner().withPropertyValues(twoDataSources())
			.withPropertyValues("dtx.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AtomikosTransactionService.class)
				.doesNotHaveBean(DtxXaDataSource.class));
	}

	@Test
	void atomikosAbsentBacksOff() {
		contextRunner().withPropertyValues(twoDataSources())
			.withClassLoader(new FilteredClassLoader("com.atomikos"))
			.run((context) -> assertThat(context).doesNotHaveBean(AtomikosTransactionService.class)
				.doesNotHaveBean(JtaTransactionManager.class)
				.doesNotHaveBean(DtxXaDataSource.class));
	}

	@Test
	void userTransactionManagerWins() {
		contextRunner().withPropertyValues(twoDataSources())
			.withUserConfiguration(UserTransactionManagerConfiguration.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(JtaTransactionManager.class);
				assertThat(context.getBean(PlatformTransactionManager.class))
					.isSameAs(context.getBean("userTransactionManager"));
				assertThat(context).hasSingleBean(UserTransactionManager.class);
			});
	}

	@Test
	void userDataSourceOfTheSameNameWins() {
		contextRunner().withPropertyValues(twoDataSources())
			.withUserConfiguration(UserOrdersDataSourceConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean("orders")).isNotInstanceOf(DtxXaDataSource.class);
				assertThat(context.getBean("stock")).isInstanceOf(DtxXaDataSource.class);
			});
	}

	@Test
	void twoPrimariesFailNamingBoth() {
		contextRunner().withPropertyValues(twoDataSources())
			.withPropertyValues("dtx.xa.datasources.stock.primary=true")
			.run((context) -> assertThat(mostSpecificCause(context)).isInstanceOf(XaConfigurationException.class)
				.hasMessageContaining("'stock'")
				.hasMessageContaining("'orders'"));
	}

	@Test
	void transactionManagerIdIsStableForOneLogDirAndCanBeSet() {
		contextRunner().withPropertyValues(twoDataSources())
			.withPropertyValues("spring.application.name=shop")
			.run((first) -> contextRunner().withPropertyValues(twoDataSources())
				.withPropertyValues("spring.application.name=shop")
				.run((second) -> assertThat(second.getBean(AtomikosTransactionService.class).getTransactionManagerId())
					.startsWith("shop-")
					.isEqualTo(first.getBean(AtomikosTransactionService.class).getTransactionManagerId())));
		contextRunner().withPropertyValues(twoDataSources())
			.withPropertyValues("dtx.xa.transaction-manager-id=orders-1")
			.run((context) -> assertThat(context.getBean(AtomikosTransactionService.class).getTransactionManagerId())
				.isEqualTo("orders-1"));
	}

	@Test
	void transactionManagerIdTooLongFailsNamingTheSetting() {
		contextRunner().withPropertyValues(twoDataSources())
			.withPropertyValues("dtx.xa.transaction-manager-id=" + "x".repeat(31))
			.run((context) -> assertThat(mostSpecificCause(context)).hasMessageContaining("dtx.xa.transaction-manager-id"));
	}

	@Test
	void twoContextsInOneJvmShareAtomikosWithoutClashing() {
		contextRunner().withPropertyValues(twoDataSources()).run((first) -> {
			JdbcTemplate firstOrders = new JdbcTemplate(first.getBean("orders", DataSource.class));
			firstOrders.execute("create table t (id int)");
			contextRunner().withPropertyValues(twoDataSources()).run((second) -> {
				assertThat(second).hasNotFailed();
				String firstName = first.getBean("orders", DtxXaDataSource.class).getUniqueResourceName();
				String secondName = second.getBean("orders", DtxXaDataSource.class).getUniqueResourceName();
				assertThat(firstName).isEqualTo("orders");
				assertThat(secondName).isEqualTo("orders-2");
				new JdbcTemplate(second.getBean("orders", DataSource.class)).update("insert into t values (1)");
			});
			// the second context has closed: the first one's Atomikos still runs
			JtaTransactionManager jta = first.getBean(JtaTransactionManager.class);
			new org.springframework.transaction.support.TransactionTemplate(jta)
				.executeWithoutResult((status) -> firstOrders.update("insert into t values (2)"));
			assertThat(firstOrders.queryForObject("select count(*) from t", Integer.class)).isEqualTo(2);
		});
	}

	// Atomikos forgets a logged commit decision after any recovery scan that succeeds on the
	// resources registered at that moment: it must not run a scan, its first one after it
	// starts or its last one when it stops, while a data source is not registered
	@Test
	void atomikosStartsAfterAndStopsBeforeEveryXaDataSource() {
		RegisteredResourcesRecorder.reset();
		contextRunner().withPropertyValues(twoDataSources())
			.withUserConfiguration(RegisteredResourcesRecorderConfiguration.class)
			.run((context) -> {
				List<String> names = List.of(context.getBean("orders", DtxXaDataSource.class).getUniqueResourceName(),
						context.getBean("stock", DtxXaDataSource.class).getUniqueResourceName());
				RegisteredResourcesRecorder.names.set(names);
				assertThat(RegisteredResourcesRecorder.atStart).containsAll(names);
			});
		assertThat(RegisteredResourcesRecorder.atStop).containsAll(RegisteredResourcesRecorder.names.get());
	}

	static Throwable mostSpecificCause(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		return NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTransactionManagerConfiguration {

		@Bean
		PlatformTransactionManager userTransactionManager(DataSource dataSource) {
			return new JdbcTransactionManager(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RegisteredResourcesRecorderConfiguration {

		@Bean
		static RegisteredResourcesRecorder registeredResourcesRecorder() {
			return new RegisteredResourcesRecorder();
		}

	}

	/**
	 * Records the resources registered with Atomikos just before it starts and just
	 * before it stops.
	 */
	static class RegisteredResourcesRecorder implements DestructionAwareBeanPostProcessor {

		static final List<String> atStart = new CopyOnWriteArrayList<>();

		static final List<String> atStop = new CopyOnWriteArrayList<>();

		static final AtomicReference<List<String>> names = new AtomicReference<>(List.of());

		static void reset() {
			atStart.clear();
			atStop.clear();
			names.set(List.of());
		}

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) {
			if (bean instanceof AtomikosTransactionService) {
				atStart.addAll(registered());
			}
			return bean;
		}

		@Override
		public void postProcessBeforeDestruction(Object bean, String beanName) {
			if (bean instanceof AtomikosTransactionService) {
				atStop.addAll(registered());
			}
		}

		private static List<String> registered() {
			return com.atomikos.icatch.config.Configuration.getResources()
				.stream()
				.map(RecoverableResource::getName)
				.toList();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserOrdersDataSourceConfiguration {

		@Bean
		DataSource orders() {
			return DataSourceBuilder.create().url("jdbc:h2:mem:user-orders-" + UUID.randomUUID()).build();
		}

	}

}
