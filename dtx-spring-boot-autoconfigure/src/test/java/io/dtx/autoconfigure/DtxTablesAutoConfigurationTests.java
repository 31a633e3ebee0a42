package io.dtx.autoconfigure;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;

import io.dtx.jdbc.DtxTables;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration of dtx's tables: where they live, their prefix and clock, and
 * when it backs off.
 */
class DtxTablesAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, DtxSchemaAutoConfiguration.class,
				DtxTablesAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:tables-" + UUID.randomUUID());

	@Test
	void holdsTheTablesInTheOnlyDataSourceUnderTheDefaultPrefix() {
		this.contextRunner.run((context) -> {
			DtxTables tables = context.getBean(DtxTables.class);
			assertThat(tables.dataSource()).isSameAs(context.getBean(DataSource.class));
			assertThat(tables.tablePrefix()).isEqualTo("dtx_");
			assertThat(tables.clock()).isEqualTo(Clock.systemUTC());
			assertThat(context).hasSingleBean(ThreadPoolTaskScheduler.class)
				.hasBean("dtxLocalTransactionCheck");
		});
	}

	@Test
	void takesThePrefixOfTheSchemaKeys() {
		this.contextRunner.withPropertyValues("dtx.schema.table-prefix=shop_dtx_")
			.run((context) -> assertThat(context.getBean(DtxTables.class).tablePrefix()).isEqualTo("shop_dtx_"));
	}

	@Test
	void takesTheDataSourceNamedByDtxDataSource() {
		JdbcDataSource other = new JdbcDataSource();
		other.setURL("jdbc:h2:mem:tables-other-" + UUID.randomUUID());
		this.contextRunner.withBean("ledger", DataSource.class, () -> other)
			.withPropertyValues("dtx.data-source=ledger", "dtx.schema.enabled=false")
			.run((context) -> assertThat(context.getBean(DtxTables.class).dataSource()).isSameAs(other));
	}

	@Test
	void keepsAClockOfTheApplications() {
		Clock fixed = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
		this.contextRunner.withBean("dtxClock", Clock.class, () -> fixed)
			.run((context) -> assertThat(context.getBean(DtxTables.class).clock()).isSameAs(fixed));
	}

	@Test
	void checksNoTransactionManagerWhenToldNotTo() {
		this.contextRunner.withPropertyValues("dtx.verify-transaction-manager=false")
			.run((context) -> assertThat(context).hasSingleBean(DtxTables.class)
				.doesNotHaveBean("dtxLocalTransactionCheck"));
	}

	@Test
	void backsOffWhenDtxIsOffOrThereIsNoDataSource() {
		this.contextRunner.withPropertyValues("dtx.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DtxTables.class));
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DtxTablesAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DtxTables.class));
	}

}
