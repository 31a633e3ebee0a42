package io.dtx.xa;

import java.nio.file.Path;

import io.dtx.autoconfigure.DtxXaAutoConfiguration;
import io.dtx.test.DatabaseServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A data source that cannot work stops the application at start-up, naming the data
 * source and what to change, instead of failing at its first commit.
 */
class XaStartupCheckTests {

	@TempDir
	Path logDir;

	private ApplicationContextRunner contextRunner(String... properties) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DtxXaAutoConfiguration.class))
			.withPropertyValues("dtx.xa.log-dir=" + this.logDir)
			.withPropertyValues(properties);
	}

	@Test
	void postgresWithoutPreparedTransactionsStopsStartupNamingTheSetting() {
		DatabaseServer server = DatabaseServer.POSTGRESQL_WITHOUT_XA;
		server.assumeAvailable();
		contextRunner("dtx.xa.datasources.orders.url=" + server.url("postgres"),
				"dtx.xa.datasources.orders.username=" + server.username())
			.run((context) -> {
				XaConfigurationException failure = xaFailure(context);
				assertThat(failure.getDataSourceName()).isEqualTo("orders");
				assertThat(failure.getDescription()).contains("'orders'")
					.contains("max_prepared_transactions = 0")
					.contains("127.0.0.1:5433");
				assertThat(failure.getAction()).contains("ALTER SYSTEM SET max_prepared_transactions")
					.contains("restart PostgreSQL");
				FailureAnalysis analysis = new XaConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).isEqualTo(failure.getDescription());
				assertThat(analysis.getAction()).isEqualTo(failure.getAction());
			});
	}

	@Test
	void postgresWithPreparedTransactionsStarts() {
		DatabaseServer server = DatabaseServer.POSTGRESQL;
		server.assumeAvailable();
		contextRunner("dtx.xa.datasources.orders.url=" + server.url("postgres"),
				"dtx.xa.datasources.orders.username=" + server.username())
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void urlThatIsNotJdbcStopsStartup() {
		contextRunner("dtx.xa.datasources.orders.url=localhost:5432/orders")
			.run((context) -> assertThat(xaFailure(context).getDescription()).contains("'orders'")
				.contains("'localhost:5432/orders' is not a JDBC URL"));
	}

	@Test
	void missingUrlStopsStartup() {
		contextRunner("dtx.xa.datasources.orders.username=sa")
			.run((context) -> assertThat(xaFailure(context).getAction()).contains("dtx.xa.datasources.orders.url"));
	}

	@Test
	void unknownVendorWithoutXaClassStopsStartupNamingTheProperty() {
		contextRunner("dtx.xa.datasources.ledger.url=jdbc:oracle:thin:@//localhost:1521/ledger").run((context) -> {
			XaConfigurationException failure = xaFailure(context);
			assertThat(failure.getDescription()).contains("'ledger'").contains("jdbc:oracle:thin");
			assertThat(failure.getAction()).contains("dtx.xa.datasources.ledger.xa-data-source-class-name");
		});
	}

	@Test
	void xaClassNotOnTheClasspathStopsStartup() {
		contextRunner("dtx.xa.datasources.ledger.url=jdbc:oracle:thin:@//localhost:1521/ledger",
				"dtx.xa.datasources.ledger.xa-data-source-class-name=oracle.jdbc.xa.client.OracleXADataSource")
			.run((context) -> assertThat(xaFailure(context).getDescription())
				.contains("oracle.jdbc.xa.client.OracleXADataSource is not on the classpath"));
	}

	@Test
	void xaClassThatIsNoXaDataSourceStopsStartup() {
		contextRunner("dtx.xa.datasources.orders.url=jdbc:h2:mem:not-xa",
				"dtx.xa.datasources.orders.xa-data-source-class-name=java.lang.StringBuilder")
			.run((context) -> assertThat(xaFailure(context).getDescription())
				.contains("java.lang.StringBuilder is not a javax.sql.XADataSource"));
	}

	@Test
	void unknownDriverPropertyStopsStartup() {
		contextRunner("dtx.xa.datasources.orders.url=jdbc:h2:mem:bad-property",
				"dtx.xa.datasources.orders.properties.colour=blue")
			.run((context) -> assertThat(xaFailure(context).getDescription()).contains("cannot set 'colour'")
				.contains("org.h2.jdbcx.JdbcDataSource"));
	}

	@Test
	void unreachableServerStopsStartup() {
		contextRunner("dtx.xa.datasources.orders.url=jdbc:postgresql://127.0.0.1:1/orders")
			.run((context) -> assertThat(xaFailure(context).getDescription())
				.contains("cannot connect to jdbc:postgresql://127.0.0.1:1/orders"));
	}

	@Test
	void explicitXaClassServesAUrlOfAnyVendor() {
		contextRunner("dtx.xa.datasources.orders.url=jdbc:h2:mem:explicit",
				"dtx.xa.datasources.orders.xa-data-source-class-name=org.h2.jdbcx.JdbcDataSource",
				"dtx.xa.datasources.orders.properties.description=orders")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void mariaDbAndMySqlUrlsArePinnedToOnePhysicalConnection() {
		assertThat(XaVendor.MARIADB.prepareUrl("jdbc:mariadb://db/stock"))
			.isEqualTo("jdbc:mariadb://db/stock?pinGlobalTxToPhysicalConnection=true");
		assertThat(XaVendor.MYSQL.prepareUrl("jdbc:mysql://db/stock?useSSL=false"))
			.isEqualTo("jdbc:mysql://db/stock?useSSL=false&pinGlobalTxToPhysicalConnection=true");
		assertThat(XaVendor.MARIADB.prepareUrl("jdbc:mariadb://db/stock?pinGlobalTxToPhysicalConnection=false"))
			.as("an explicit choice is kept").endsWith("pinGlobalTxToPhysicalConnection=false");
	}

	private static XaConfigurationException xaFailure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		while (failure != null && !(failure instanceof XaConfigurationException)) {
			failure = failure.getCause();
		}
		assertThat(failure).as(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).toString())
			.isInstanceOf(XaConfigurationException.class);
		return (XaConfigurationException) failure;
	}

}
