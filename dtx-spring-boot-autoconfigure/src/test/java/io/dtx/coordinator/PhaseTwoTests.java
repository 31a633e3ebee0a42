package io.dtx.coordinator;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dtx.core.Backoff;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.Participant;
import io.dtx.fence.BranchFence;
import io.dtx.jdbc.DtxSchema;
import io.dtx.jdbc.DtxTables;
import io.dtx.test.MutableClock;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The phase-two path every mode shares, on H2 with the real fence and participant log:
 * the order of each {@link PhaseTwo.Order}, from what the thread ran and from what was
 * recorded, and the fence letting each branch's confirm or cancel run once.
 */
class PhaseTwoTests {

	private final MutableClock clock = new MutableClock();

	private final SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
			"jdbc:h2:mem:phase-two-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

	private final DtxTables tables = DtxTables.of(this.dataSource, "dtx_", this.clock);

	private final BranchFence fence = new BranchFence(this.tables);

	private final ParticipantLog participantLog = new ParticipantLog(this.tables);

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	// what was completed, in order: a local branch as "b1", a call as "r1"
	private final List<String> completed = new CopyOnWriteArrayList<>();

	private final TransactionModeSupport support;

	PhaseTwoTests() {
		new DtxSchema(this.dataSource, "dtx_").migrate();
		this.scheduler.initialize();
		GlobalTransactionLog log = new GlobalTransactionLog(this.tables);
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("client", (ParticipantClient) (xid, mode, called, confirm, done) -> called.forEach((participant) -> {
			this.completed.add(participant.branchId() + (confirm ? " confirmed" : " cancelled"));
			done.accept(participant);
		}));
		DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(this.dataSource);
		CoordinatorTransactions transactions = new CoordinatorTransactions(log, transactionManager, this.scheduler,
				Runnable::run, new CoordinatorTransactions.FollowUpSettings(
						new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)), Duration.ofSeconds(30), "test"));
		this.support = new TransactionModeSupport(log, this.fence,
				new ParticipantCalls(this.participantLog, beans.getBeanProvider(ParticipantClient.class)), transactions,
				TransactionObserver.NONE, Duration.ofSeconds(30), ObservationRegistry.NOOP);
	}

	@AfterEach
	void stop() {
		this.scheduler.shutdown();
	}

	@Test
	void asTriedCompletesLocalBranchesInTheirOrderThenEveryCall() {
		GlobalTransaction transaction = transaction();
		tried(transaction, 3);
		called(transaction);
		tried(transaction, 1);
		phaseTwo(PhaseTwo.Order.AS_TRIED).complete(transaction, true);
		assertThat(this.completed).containsExactly("b1 confirmed", "b2 confirmed", "b3 confirmed", "b4 confirmed",
				"r1 confirmed");
	}

	@Test
	void reverseUndoesTheLastOpenedFirstCallsAmongThem() {
		GlobalTransaction transaction = transaction();
		tried(transaction, 2);
		called(transaction);
		tried(transaction, 1);
		phaseTwo(PhaseTwo.Order.REVERSE).complete(transaction, false);
		assertThat(this.completed).containsExactly("b3 cancelled", "r1 cancelled", "b2 cancelled", "b1 cancelled");
	}

	@Test
	void fromTheRecordsTheOrderIsTheOneTheThreadHad() {
		// eleven branches in one millisecond: the tenth and eleventh come after the ninth
		GlobalTransaction transaction = transaction();
		tried(transaction, 11);
		this.clock.advance(Duration.ofMillis(5));
		called(transaction);
		phaseTwo(PhaseTwo.Order.AS_TRIED).complete(transaction.xid(), null, true);
		assertThat(this.completed).containsExactly("b1 confirmed", "b2 confirmed", "b3 confirmed", "b4 confirmed",
				"b5 confirmed", "b6 confirmed", "b7 confirmed", "b8 confirmed", "b9 confirmed", "b10 confirmed",
				"b11 confirmed", "r1 confirmed");
		this.completed.clear();

		GlobalTransaction compensated = transaction();
		tried(compensated, 10);
		this.clock.advance(Duration.ofMillis(5));
		called(compensated);
		this.clock.advance(Duration.ofMillis(5));
		tried(compensated, 1);
		phaseTwo(PhaseTwo.Order.REVERSE).complete(compensated.xid(), null, false);
		assertThat(this.completed).containsExactly("b11 cancelled", "r1 cancelled", "b10 cancelled", "b9 cancelled",
				"b8 cancelled", "b7 cancelled", "b6 cancelled", "b5 cancelled", "b4 cancelled", "b3 cancelled",
				"b2 cancelled", "b1 cancelled");
	}

	@Test
	void eachBranchIsCompletedOnceHoweverOftenPhaseTwoRuns() {
		GlobalTransaction transaction = transaction();
		tried(transaction, 2);
		called(transaction);
		PhaseTwo phaseTwo = phaseTwo(PhaseTwo.Order.AS_TRIED);
		phaseTwo.complete(transaction, false);
		phaseTwo.complete(transaction, false);
		phaseTwo.complete(transaction.xid(), null, false);
		// the calling thread knows the call, so it tells it again; the records know it was told
		assertThat(this.completed).containsExactly("b1 cancelled", "b2 cancelled", "r1 cancelled", "r1 cancelled");
	}

	@Test
	void aCallersPhaseTwoClosesItsBranchAndCompletesWhatRanUnderIt() {
		GlobalTransaction joined = GlobalTransaction.joined(GlobalTransaction.newXid(), "TEST",
				this.clock.instant().plusSeconds(30), "r1", "http://caller");
		this.support.transactions().execute((status) -> this.fence.enterUnderRemoteBranch(joined));
		tried(joined, 2);
		phaseTwo(PhaseTwo.Order.AS_TRIED).completeRemoteBranch(joined.xid(), "r1", false);
		assertThat(this.completed).containsExactly("r1.b1 cancelled", "r1.b2 cancelled");
		// a late try is refused: the branch is closed
		BranchFence.TryOutcome late = this.support.transactions()
			.execute((status) -> this.fence.enterUnderRemoteBranch(joined));
		assertThat(late).isEqualTo(BranchFence.TryOutcome.REFUSED);
	}

	private PhaseTwo phaseTwo(PhaseTwo.Order order) {
		return this.support.phaseTwo("TEST", order,
				(xid, branch, confirm) -> this.completed.add(branch.branchId() + (confirm ? " confirmed" : " cancelled")),
				(tried) -> new PhaseTwo.Branch(tried.branchId(), tried.action(), new Object[0], null));
	}

	private GlobalTransaction transaction() {
		GlobalTransaction transaction = this.support.begin("TEST", "phase-two", Duration.ofSeconds(30));
		this.support.log().beginIfAbsent(transaction);
		transaction.markRecorded();
		return transaction;
	}

	private void tried(GlobalTransaction transaction, int branches) {
		for (int i = 0; i < branches; i++) {
			GlobalTransaction.LocalBranch branch = transaction.addBranch("bean#action", new Object[0]);
			this.support.transactions()
				.execute((status) -> this.fence.enterTry(transaction.xid(), branch.branchId(), branch.action(), "[]"));
		}
	}

	private void called(GlobalTransaction transaction) {
		Participant participant = transaction.addParticipant("http://callee");
		this.participantLog.register(transaction.xid(), participant);
	}

}
