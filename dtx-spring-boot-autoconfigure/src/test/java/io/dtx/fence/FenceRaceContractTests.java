package io.dtx.fence;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.jdbc.DtxSchema;
import io.dtx.jdbc.DtxTables;
import io.dtx.test.DatabaseServer;
import io.dtx.test.Pools;
import io.dtx.test.Race;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fence under races, as production meets them: a try racing the cancel of its own
 * branch, and a try racing recovery's decision to cancel its transaction. Whatever the
 * interleaving, nothing stays reserved, and no deadlock or other error reaches a caller.
 * One subclass per database, on its default isolation level.
 */
abstract class FenceRaceContractTests {

	static final int ROUNDS = 1000;

	private HikariDataSource dataSource;

	private JdbcTemplate jdbc;

	private TransactionTemplate local;

	private BranchFence fence;

	private GlobalTransactionLog log;

	private Race race;

	/** The server this contract runs on. */
	abstract DatabaseServer server();

	@BeforeEach
	void prepare() {
		this.dataSource = Pools.of(server().emptyDatabase("dtx_fence_race"), 4);
		new DtxSchema(this.dataSource, "dtx_").migrate();
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.jdbc.execute("create table race_stock (id int primary key, reserved int not null)");
		this.jdbc.update("insert into race_stock values (1, 0)");
		this.local = new TransactionTemplate(new JdbcTransactionManager(this.dataSource));
		this.fence = new BranchFence(DtxTables.of(this.dataSource, "dtx_", Clock.systemUTC()));
		this.log = new GlobalTransactionLog(DtxTables.of(this.dataSource, "dtx_", Clock.systemUTC()));
		this.race = new Race();
	}

	@AfterEach
	void close() throws InterruptedException {
		// neither exists where the database was absent and the test skipped
		if (this.race != null) {
			this.race.close();
		}
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

	@Test
	void runsOnTheDatabasesDefaultIsolation() {
		assertThat(this.jdbc.queryForObject(server().isolationQuery(), String.class))
			.isEqualToIgnoringCase(server().defaultIsolation());
	}

	@Test
	void tryRacingItsCancelNeverLeavesAReservation() throws Exception {
		Map<String, AtomicInteger> interleavings = new ConcurrentHashMap<>();
		List<Throwable> errors = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			String xid = GlobalTransaction.newXid();
			List<Object> outcomes = this.race.run(errors, () -> tryBranch(xid), () -> cancelBranch(xid));
			interleavings.computeIfAbsent(outcomes.toString(), (key) -> new AtomicInteger()).incrementAndGet();
		}
		assertThat(errors).as("errors reaching a caller").isEmpty();
		assertThat(reserved()).as("reservations left").isZero();
		// the try ran and its cancel undid it, or the cancel came first and the try was refused
		assertThat(interleavings.keySet()).as("interleavings " + interleavings)
			.isSubsetOf("[RUN, RUN]", "[REFUSED, EMPTY]")
			.contains("[RUN, RUN]", "[REFUSED, EMPTY]");
		assertThat(this.jdbc.queryForList("select distinct state from dtx_branch_fence", String.class))
			.containsExactly("CANCELLED");
	}

	@Test
	void tryRacingRecoverysCancelNeverLeavesAReservation() throws Exception {
		Map<String, AtomicInteger> interleavings = new ConcurrentHashMap<>();
		List<Throwable> errors = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			GlobalTransaction transaction = new GlobalTransaction(GlobalTransaction.newXid(), "TCC",
					"race", this.log.clock().instant().plusSeconds(60));
			this.log.beginIfAbsent(transaction);
			String xid = transaction.xid();
			List<Object> outcomes = this.race.run(errors, () -> tryUnderGlobalLock(xid), () -> recoveryCancels(xid));
			interleavings.computeIfAbsent(outcomes.toString(), (key) -> new AtomicInteger()).incrementAndGet();
		}
		assertThat(errors).as("errors reaching a caller").isEmpty();
		assertThat(reserved()).as("reservations left").isZero();
		assertThat(interleavings.keySet()).as("interleavings " + interleavings)
			.isSubsetOf("[RUN, 1]", "[REFUSED, 0]")
			.contains("[RUN, 1]", "[REFUSED, 0]");
	}

	private BranchFence.TryOutcome tryBranch(String xid) {
		return this.local.execute((status) -> {
			BranchFence.TryOutcome outcome = this.fence.enterTry(xid, "b1", "race#reserve", "[1]");
			if (outcome == BranchFence.TryOutcome.RUN) {
				this.jdbc.update("update race_stock set reserved = reserved + 1 where id = 1");
			}
			return outcome;
		});
	}

	private BranchFence.CancelOutcome cancelBranch(String xid) {
		return this.local.execute((status) -> {
			BranchFence.CancelOutcome outcome = this.fence.enterCancel(xid, "b1", "race#reserve");
			if (outcome == BranchFence.CancelOutcome.RUN) {
				this.jdbc.update("update race_stock set reserved = reserved - 1 where id = 1");
			}
			return outcome;
		});
	}

	// as BranchEntry does for a try: the global row's share lock holds off the decision
	private String tryUnderGlobalLock(String xid) {
		return this.local.execute((status) -> {
			if (this.log.lockedState(xid) != GlobalState.TRYING) {
				return "REFUSED";
			}
			this.fence.enterTry(xid, "b1", "race#reserve", "[1]");
			this.jdbc.update("update race_stock set reserved = reserved + 1 where id = 1");
			return "RUN";
		});
	}

	// as recovery does: decide, then cancel every branch the fence shows tried
	private int recoveryCancels(String xid) {
		this.log.decide(xid, GlobalState.TRYING, GlobalState.CANCELLING, this.log.clock().instant());
		int cancelled = 0;
		for (BranchFence.TriedBranch branch : this.fence.tried(xid, null)) {
			if (cancelBranch(xid) == BranchFence.CancelOutcome.RUN) {
				cancelled++;
			}
		}
		return cancelled;
	}

	private int reserved() {
		return this.jdbc.queryForObject("select reserved from race_stock where id = 1", Integer.class);
	}

}
