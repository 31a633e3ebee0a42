package io.dtx.autoconfigure;

import java.util.UUID;
import javax.sql.DataSource;

import io.dtx.jdbc.DtxSchema;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.dtx.autoconfigure.DtxXaAutoConfigurationTests.mostSpecificCause;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * When {@link DtxSchemaAutoConfiguration} applies, and to which data source.
 */
class DtxSchemaAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, DtxSchemaAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:schema-conditions-" + UUID.randomUUID());

	@Test
	void migratesTheApplicationsDataSource() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DtxSchema.class);
			assertThat(count(context.getBean(DataSource.class), "dtx_global_transaction")).isZero();
		});
	}

	@Test
	void schemaDisabledBacksOff() {
		this.contextRunner.withPropertyValues("dtx.schema.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DtxSchema.class));
	}

	@Test
	void dtxDisabledBacksOff() {
		this.contextRunner.withPropertyValues("dtx.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DtxSchema.class));
	}

	@Test
	void flywayAbsentBacksOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.flywaydb"))
			.run((context) -> assertThat(context).doesNotHaveBean(DtxSchema.class));
	}

	@Test
	void noDataSourceBacksOff() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DtxSchemaAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DtxSchema.class));
	}

	@Test
	void userSchemaBeanWins() {
		this.contextRunner.withBean("mySchema", DtxSchema.class, () -> new DtxSchema(dataSource("mine"), "mine_"))
			.run((context) -> assertThat(context).getBean(DtxSchema.class).isSameAs(context.getBean("mySchema")));
	}

	@Test
	void invalidTablePrefixStopsStartupNamingTheSetting() {
		this.contextRunner.withPropertyValues("dtx.schema.table-prefix=dtx; drop table orders; --")
			.run((context) -> assertThat(mostSpecificCause(context)).hasMessageContaining("dtx.schema.table-prefix"));
	}

	@Test
	void severalDataSourcesWithoutPrimaryStopStartupNamingTheChoice() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DtxSchemaAutoConfiguration.class))
			.withUserConfiguration(TwoDataSources.class)
			.run((context) -> assertThat(mostSpecificCause(context)).hasMessageContaining("dtx.data-source")
				.hasMessageContaining("orders")
				.hasMessageContaining("stock"));
	}

	@Test
	void dataSourcePropertyChoosesWhereTheTablesGo() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DtxSchemaAutoConfiguration.class))
			.withUserConfiguration(TwoDataSources.class)
			.withPropertyValues("dtx.data-source=stock")
			.run((context) -> assertThat(count(context.getBean("stock", DataSource.class), "dtx_global_transaction"))
				.isZero());
	}

	@Test
	void dataSourcePropertyNamingNoBeanStopsStartup() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DtxSchemaAutoConfiguration.class))
			.withUserConfiguration(TwoDataSources.class)
			.withPropertyValues("dtx.data-source=ledger")
			.run((context) -> assertThat(mostSpecificCause(context).getMessage()).contains("'ledger'")
				.contains("orders")
				.contains("stock"));
	}

	private static int count(DataSource dataSource, String table) {
		return new JdbcTemplate(dataSource).queryForObject("select count(*) from " + table, Integer.class);
	}

	private static DataSource dataSource(String name) {
		return DataSourceBuilder.create().url("jdbc:h2:mem:" + name + "-" + UUID.randomUUID()).build();
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoDataSources {

		@Bean
		DataSource orders() {
			return dataSource("orders");
		}

		@Bean
		DataSource stock() {
			return dataSource("stock");
		}

	}

}
