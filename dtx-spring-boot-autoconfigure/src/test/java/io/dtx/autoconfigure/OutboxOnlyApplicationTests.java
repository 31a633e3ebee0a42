package io.dtx.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.ParticipantLog;
import io.dtx.coordinator.Recovery;
import io.dtx.coordinator.Retention;
import io.dtx.fence.BranchFence;
import io.dtx.outbox.Inbox;
import io.dtx.outbox.Outbox;
import io.dtx.outbox.OutboxRetention;
import io.dtx.saga.SagaCoordinator;
import io.dtx.tcc.TccCoordinator;
import io.dtx.web.ContextPropagation;
import io.dtx.web.HttpCoordinationClient;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service that only uses the outbox ({@code dtx.coordinator.enabled=false}) has no
 * coordinator, recovery, TCC, saga or HTTP bean, and reads and writes no row of the
 * coordinator's tables, while its outbox works.
 */
class OutboxOnlyApplicationTests {

	// the coordinator's tables under the default prefix (migrations V1 to V3)
	private static final List<String> COORDINATOR_TABLES = List.of("dtx_global_transaction", "dtx_branch_fence",
			"dtx_participant");

	private final RecordingDataSource recording = new RecordingDataSource(h2());

	// every dtx auto-configuration, as an application gets them; recovery and retention
	// would run within the test's wait, were they there
	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				KafkaAutoConfiguration.class, DtxXaAutoConfiguration.class, DtxSchemaAutoConfiguration.class,
				DtxTablesAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxTccAutoConfiguration.class,
				DtxSagaAutoConfiguration.class, DtxWebAutoConfiguration.class, DtxOutboxAutoConfiguration.class,
				DtxUnknownKeysAutoConfiguration.class))
		.withBean(DataSource.class, this.recording::dataSource)
		.withPropertyValues("dtx.recovery.interval=50ms", "dtx.retention.interval=50ms",
				"dtx.outbox.retention-interval=50ms", "dtx.outbox.relay-enabled=false");

	@Test
	void hasNoCoordinatorAndTouchesNoCoordinatorTable() {
		this.contextRunner.withPropertyValues("dtx.coordinator.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(GlobalTransactionLog.class)
				.doesNotHaveBean(BranchFence.class)
				.doesNotHaveBean(ParticipantLog.class)
				.doesNotHaveBean(Recovery.class)
				.doesNotHaveBean(Retention.class)
				.doesNotHaveBean(TccCoordinator.class)
				.doesNotHaveBean(SagaCoordinator.class)
				.doesNotHaveBean(HttpCoordinationClient.class)
				.doesNotHaveBean(ContextPropagation.class)
				.hasSingleBean(Outbox.class)
				.hasSingleBean(Inbox.class)
				.hasSingleBean(OutboxRetention.class);
			new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
				.executeWithoutResult((status) -> context.getBean(Outbox.class).publish("orders", "o-1", "placed"));
			// several passes of the scheduler's outbox retention (every 50 ms): a coordinator
			// task scheduled beside it would have run as often
			await().atMost(Duration.ofSeconds(30)).until(() -> rowStatements().stream()
				.filter((sql) -> sql.startsWith("delete") && sql.contains("dtx_inbox"))
				.count() >= 5);
			assertThat(rowStatements()).as("statements that read or write rows")
				.anySatisfy((sql) -> assertThat(sql).contains("dtx_outbox"))
				.noneSatisfy((sql) -> assertThat(COORDINATOR_TABLES).anySatisfy((table) -> assertThat(sql).contains(table)));
		});
	}

	@Test
	void theCoordinatorIsThereByDefaultAndReadsItsTables() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(GlobalTransactionLog.class)
				.hasSingleBean(Recovery.class)
				.hasSingleBean(TccCoordinator.class)
				.hasSingleBean(Outbox.class);
			// what the other test's assertion would see, were the coordinator there
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(rowStatements())
					.anySatisfy((sql) -> assertThat(sql).contains("dtx_global_transaction")));
		});
	}

	// the migrations create every dtx table; what an outbox-only service must not do is
	// read or write the coordinator's rows
	private List<String> rowStatements() {
		return this.recording.statements()
			.stream()
			.map((sql) -> sql.strip().toLowerCase(Locale.ROOT))
			.filter((sql) -> sql.startsWith("select") || sql.startsWith("insert") || sql.startsWith("update")
					|| sql.startsWith("delete") || sql.startsWith("merge") || sql.startsWith("with"))
			.toList();
	}

	private static DataSource h2() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:outbox-only-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		return dataSource;
	}

}
