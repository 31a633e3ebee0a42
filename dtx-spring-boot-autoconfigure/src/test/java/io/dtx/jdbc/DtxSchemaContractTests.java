package io.dtx.jdbc;

import java.util.Arrays;
import javax.sql.DataSource;

import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dtx's migrations beside the application's own Flyway migrations, on one database: both
 * apply, each in its own history, in either order of adoption, and again at a restart.
 * One subclass per database vendor.
 */
abstract class DtxSchemaContractTests {

	private String[] database;

	/** JDBC URL, user and password of an empty database. */
	abstract String[] emptyDatabase();

	@BeforeEach
	void createDatabase() {
		this.database = emptyDatabase();
	}

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
					DtxSchemaAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + this.database[0],
					"spring.datasource.username=" + this.database[1], "spring.datasource.password=" + this.database[2],
					"spring.flyway.locations=classpath:db/app-migration");
	}

	@Test
	void applicationMigrationsAndDtxMigrationsBothApplyInTheirOwnHistory() {
		contextRunner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(versions(context.getBean(Flyway.class).info())).containsExactly("1", "2");
			assertThat(versions(context.getBean(DtxSchema.class).info())).contains("1");
			assertThat(context.getBean(DtxSchema.class).info().pending()).isEmpty();
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("select count(*) from app_order", Integer.class)).isZero();
			assertThat(jdbc.queryForObject("select count(*) from dtx_global_transaction", Integer.class)).isZero();
		});
	}

	@Test
	void dtxSchemaNeededEarlyStillWaitsForTheApplicationsMigrations() {
		contextRunner().withUserConfiguration(EarlyDtxUserConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(versions(context.getBean(Flyway.class).info())).containsExactly("1", "2");
			assertThat(context.getBean(DtxSchema.class).info().pending()).isEmpty();
		});
	}

	@Test
	void restartAppliesNothingTwice() {
		contextRunner().run((context) -> assertThat(context).hasNotFailed());
		contextRunner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DtxSchema.class).migrate().migrationsExecuted).isZero();
			assertThat(versions(context.getBean(Flyway.class).info())).containsExactly("1", "2");
		});
	}

	@Test
	void dtxAdoptedOnADatabaseWithoutFlywayStartsItsHistoryBelowItsFirstMigration() {
		JdbcTemplate jdbc = new JdbcTemplate(
				org.springframework.boot.jdbc.DataSourceBuilder.create()
					.url(this.database[0])
					.username(this.database[1])
					.password(this.database[2])
					.build());
		jdbc.execute("create table legacy_invoice (id int primary key)");
		contextRunner().withPropertyValues("spring.flyway.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DtxSchema.class).info().pending()).isEmpty();
			assertThat(jdbc.queryForObject("select count(*) from dtx_global_transaction", Integer.class)).isZero();
			assertThat(jdbc.queryForObject("select count(*) from legacy_invoice", Integer.class)).isZero();
		});
	}

	@Test
	void tablePrefixNamesEveryTable() {
		contextRunner().withPropertyValues("dtx.schema.table-prefix=shop_tx_").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DtxSchema.class).getHistoryTable()).isEqualTo("shop_tx_schema_history");
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("select count(*) from shop_tx_global_transaction", Integer.class)).isZero();
		});
	}

	/**
	 * A user bean that needs dtx's tables, created before any auto-configured bean.
	 */
	@Configuration(proxyBeanMethods = false)
	static class EarlyDtxUserConfiguration {

		@Bean
		String dtxTablePrefix(DtxSchema schema) {
			return schema.getTablePrefix();
		}

	}

	private static String[] versions(MigrationInfoService info) {
		return Arrays.stream(info.applied())
			.filter((migration) -> migration.getType().isSynthetic() == false)
			.map(MigrationInfo::getVersion)
			.map(Object::toString)
			.toArray(String[]::new);
	}

}
