package io.dtx.autoconfigure;

import java.time.Clock;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.dtx.jdbc.DatabaseVendor;
import io.dtx.jdbc.DtxTables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One line at INFO, on logger {@code io.dtx}, says at start-up which modes are on and
 * where dtx's tables are.
 */
@ExtendWith(OutputCaptureExtension.class)
class DtxStartupReportTests {

	private final String database = "startup-report-" + UUID.randomUUID();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				KafkaAutoConfiguration.class, RestClientAutoConfiguration.class, DtxXaAutoConfiguration.class,
				DtxSchemaAutoConfiguration.class, DtxTablesAutoConfiguration.class, DtxCoreAutoConfiguration.class,
				DtxTccAutoConfiguration.class, DtxSagaAutoConfiguration.class, DtxOutboxAutoConfiguration.class,
				DtxNotifyAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + this.database, "dtx.recovery.enabled=false",
				"spring.kafka.bootstrap-servers=127.0.0.1:1");

	private final Logger dtx = (Logger) LoggerFactory.getLogger("io.dtx");

	private Level level;

	@BeforeEach
	void logInfo() {
		// the tests' logging configuration logs WARN and above; an application's logs INFO
		this.level = this.dtx.getLevel();
		this.dtx.setLevel(Level.INFO);
	}

	@AfterEach
	void restoreLevel() {
		this.dtx.setLevel(this.level);
	}

	@Test
	void oneLineWithTheModesAndTheTables(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getAll().lines().filter((line) -> line.contains("io.dtx - dtx: "))).singleElement()
			.asString()
			.endsWith("io.dtx - dtx: modes SAGA, TCC; outbox on (relay running); notifications on (dispatcher running); "
					+ "tables dtx_* in H2 (jdbc:h2:mem:" + this.database + ")");
	}

	@Test
	void outboxOnlyHasNoMode(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("dtx.coordinator.enabled=false", "dtx.outbox.relay-enabled=false",
					"dtx.notify.enabled=false", "dtx.schema.table-prefix=shop_dtx_")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getAll().lines().filter((line) -> line.contains("io.dtx - dtx: "))).singleElement()
			.asString()
			.endsWith("dtx: modes none; outbox on (no relay here); tables shop_dtx_* in H2 (jdbc:h2:mem:" + this.database
					+ ")");
	}

	@Test
	void passwordsInTheUrlStayOutOfTheLine() {
		DtxTables tables = new DtxTables(new DriverManagerDataSource(
				"jdbc:postgresql://db:5432/shop?user=shop&password=s3cret&ssl=true"), "dtx_", Clock.systemUTC(),
				DatabaseVendor.POSTGRESQL);
		assertThat(tables.describe())
			.isEqualTo("dtx_* in PostgreSQL (jdbc:postgresql://db:5432/shop?user=shop&password=****&ssl=true)");
	}

}
