package io.dtx.samples.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The transaction as a dtx user writes it: a Spring Boot application declaring two
 * {@code dtx.xa.datasources} and a {@code @Transactional} method using a JdbcTemplate on
 * each.
 */
final class DtxVariant implements Variant {

	static final String NAME = "dtx";

	private final ConfigurableApplicationContext context;

	private final AccountUpdates updates;

	DtxVariant(BenchmarkSettings settings) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.application.name", "xa-benchmark");
		properties.put("dtx.xa.log-dir", settings.logDir().resolve(NAME).toString());
		dataSource(properties, "pg", settings.postgres(), settings.callers());
		dataSource(properties, "maria", settings.mariadb(), settings.callers());
		properties.put("dtx.xa.datasources.pg.primary", true);
		this.context = new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties)
			// not the shop demo's application.yml, which sits on the same classpath
			.run("--spring.config.name=xa-benchmark");
		this.updates = this.context.getBean(AccountUpdates.class);
	}

	private static void dataSource(Map<String, Object> properties, String name, Database database, int callers) {
		String prefix = "dtx.xa.datasources." + name + ".";
		properties.put(prefix + "url", database.url());
		properties.put(prefix + "username", database.username());
		properties.put(prefix + "password", database.password());
		// one connection per caller, all opened before the measurement starts
		properties.put(prefix + "min-pool-size", callers);
		properties.put(prefix + "max-pool-size", callers);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public void transaction(int postgresAccount, int mariadbAccount) {
		this.updates.update(postgresAccount, mariadbAccount);
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * The application of this variant: only auto-configuration, and the bean that runs
	 * the transaction.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class BenchmarkApplication {

		@Bean
		AccountUpdates accountUpdates(@Qualifier("pg") DataSource postgres, @Qualifier("maria") DataSource mariadb) {
			return new AccountUpdates(new JdbcTemplate(postgres), new JdbcTemplate(mariadb));
		}

	}

	/**
	 * Updates one account in each database, in one XA transaction.
	 */
	static class AccountUpdates {

		private final JdbcTemplate postgres;

		private final JdbcTemplate mariadb;

		AccountUpdates(JdbcTemplate postgres, JdbcTemplate mariadb) {
			this.postgres = postgres;
			this.mariadb = mariadb;
		}

		@Transactional
		public void update(int postgresAccount, int mariadbAccount) {
			this.postgres.update(UPDATE, postgresAccount);
			this.mariadb.update(UPDATE, mariadbAccount);
		}

	}

}
