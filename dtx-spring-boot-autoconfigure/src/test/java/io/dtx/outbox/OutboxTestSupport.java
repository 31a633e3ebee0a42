package io.dtx.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.dtx.autoconfigure.DtxCoreAutoConfiguration;
import io.dtx.autoconfigure.DtxOutboxAutoConfiguration;
import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.test.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the outbox's database tests share: one in-process broker per test class, an empty
 * database per test, and an application with the outbox wired by its auto-configuration.
 */
abstract class OutboxTestSupport {

	static KafkaBroker broker;

	String[] database;

	/** JDBC URL, user and password of an empty database. */
	abstract String[] emptyDatabase();

	@BeforeAll
	static void startBroker() {
		broker = KafkaBroker.start();
	}

	@AfterAll
	static void stopBroker() {
		broker.close();
	}

	@BeforeEach
	void createDatabase() {
		this.database = emptyDatabase();
	}

	/**
	 * The application's properties: its database, the broker, short intervals.
	 */
	List<String> properties() {
		return new ArrayList<>(List.of("spring.datasource.url=" + this.database[0],
				"spring.datasource.username=" + this.database[1], "spring.datasource.password=" + this.database[2],
				"spring.kafka.bootstrap-servers=" + broker.bootstrapServers(), "dtx.recovery.enabled=false",
				"dtx.outbox.poll-interval=200ms"));
	}

	ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, KafkaAutoConfiguration.class,
					DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class,
					DtxOutboxAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withPropertyValues(properties().toArray(String[]::new));
	}

	static String topic(int partitions) {
		String topic = "outbox-" + UUID.randomUUID();
		broker.createTopic(topic, partitions);
		return topic;
	}

	static TransactionTemplate transaction(AssertableApplicationContext context) {
		return new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
	}

	static JdbcTemplate jdbc(AssertableApplicationContext context) {
		return new JdbcTemplate(context.getBean(DataSource.class));
	}

}
