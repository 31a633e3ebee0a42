package io.dtx.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import io.dtx.autoconfigure.DtxCoreAutoConfiguration;
import io.dtx.autoconfigure.DtxSagaAutoConfiguration;
import io.dtx.autoconfigure.DtxSchemaAutoConfiguration;
import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.core.BranchRefusedException;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.test.DatabaseServer;
import io.dtx.test.Race;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Saga steps under races, through the real interceptor and coordinator: a step racing
 * the compensation of the branch its caller opened (phase two from the caller), and a
 * step racing recovery compensating its saga. Whatever the interleaving, no effect is
 * left behind, and no deadlock or other error reaches a caller. One subclass per
 * database, on its default isolation level.
 */
abstract class SagaRaceContractTests {

	static final int ROUNDS = 1000;

	private Race race;

	/** The server this contract runs on. */
	abstract DatabaseServer server();

	private ApplicationContextRunner contextRunner() {
		String[] database = server().emptyDatabase("dtx_saga_race");
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
					DtxSchemaAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxSagaAutoConfiguration.class))
			.withBean(Racer.class)
			.withPropertyValues("spring.datasource.url=" + database[0], "spring.datasource.username=" + database[1],
					"spring.datasource.password=" + database[2], "dtx.recovery.enabled=false",
					"dtx.retention.enabled=false");
	}

	@BeforeEach
	void startRacers() {
		this.race = new Race();
	}

	@AfterEach
	void stopRacers() throws InterruptedException {
		this.race.close();
	}

	@Test
	void stepRacingTheCompensationOfItsCallersBranchNeverLeavesAnEffect() {
		contextRunner().run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForObject(server().isolationQuery(), String.class))
				.isEqualToIgnoringCase(server().defaultIsolation());
			Racer racer = context.getBean(Racer.class);
			SagaCoordinator coordinator = context.getBean(SagaCoordinator.class);
			Map<String, AtomicInteger> interleavings = new ConcurrentHashMap<>();
			List<Throwable> errors = new ArrayList<>();
			for (int round = 0; round < ROUNDS; round++) {
				String xid = GlobalTransaction.newXid();
				GlobalTransaction joined = GlobalTransaction.joined(xid, SagaCoordinator.MODE,
						java.time.Instant.now().plusSeconds(60), "r1", null);
				List<Object> outcomes = this.race.run(errors, () -> step(joined, racer), () -> {
					coordinator.completeRemoteBranch(xid, "r1", false);
					return "COMPENSATED";
				});
				interleavings.computeIfAbsent(outcomes.toString(), (key) -> new AtomicInteger()).incrementAndGet();
			}
			assertThat(errors).as("errors reaching a caller").isEmpty();
			assertThat(racer.effect(jdbc)).as("effects left").isZero();
			assertThat(interleavings.keySet()).as("interleavings " + interleavings)
				.containsExactlyInAnyOrder("[RUN, COMPENSATED]", "[REFUSED, COMPENSATED]");
			assertThat(jdbc.queryForList("select distinct state from dtx_branch_fence", String.class))
				.containsExactly("CANCELLED");
		});
	}

	@Test
	void stepRacingRecoveryCompensatingItsSagaNeverLeavesAnEffect() {
		contextRunner().run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			Racer racer = context.getBean(Racer.class);
			SagaCoordinator coordinator = context.getBean(SagaCoordinator.class);
			Map<String, AtomicInteger> interleavings = new ConcurrentHashMap<>();
			List<Throwable> errors = new ArrayList<>();
			for (int round = 0; round < ROUNDS; round++) {
				GlobalTransaction saga = coordinator.begin("race", Duration.ofSeconds(60));
				// the first step has committed: the saga's row is TRYING
				assertThat(step(saga, racer)).isEqualTo("RUN");
				GlobalTransactionLog.Entry due = new GlobalTransactionLog.Entry(saga.xid(), SagaCoordinator.MODE,
						"race", GlobalState.TRYING, saga.deadline(), 0, null);
				List<Object> outcomes = this.race.run(errors, () -> step(saga, racer), () -> {
					coordinator.complete(due);
					return context.getBean(GlobalTransactionLog.class).state(saga.xid());
				});
				interleavings.computeIfAbsent(outcomes.toString(), (key) -> new AtomicInteger()).incrementAndGet();
			}
			assertThat(errors).as("errors reaching a caller").isEmpty();
			assertThat(racer.effect(jdbc)).as("effects left").isZero();
			assertThat(interleavings.keySet()).as("interleavings " + interleavings)
				.containsExactlyInAnyOrder("[RUN, CANCELLED]", "[REFUSED, CANCELLED]");
		});
	}

	// runs one step in the saga on this thread, as the saga's method or a joined request would
	private static String step(GlobalTransaction saga, Racer racer) {
		GlobalTransactionContext.bind(saga);
		try {
			racer.add(1);
			return "RUN";
		}
		catch (BranchRefusedException ex) {
			return "REFUSED";
		}
		finally {
			GlobalTransactionContext.clear();
		}
	}

	static class Racer {

		Racer(DataSource dataSource) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table race_effect (id int primary key, n int not null)");
			jdbc.update("insert into race_effect values (1, 0)");
			this.jdbc = jdbc;
		}

		private final JdbcTemplate jdbc;

		@SagaStep(compensate = "subtract")
		public void add(int amount) {
			this.jdbc.update("update race_effect set n = n + ? where id = 1", amount);
		}

		public void subtract(int amount) {
			this.jdbc.update("update race_effect set n = n - ? where id = 1", amount);
		}

		int effect(JdbcTemplate jdbc) {
			return jdbc.queryForObject("select n from race_effect where id = 1", Integer.class);
		}

	}

}
