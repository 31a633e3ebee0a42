package io.dtx.core;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A global transaction as its thread sees it: its id, and the ids and order of its branches.
 */
class GlobalTransactionTests {

	private static final Instant DEADLINE = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void newXidIsLowercaseHexOfOneFixedLength() {
		int length = GlobalTransaction.newXid().length();
		for (int i = 0; i < 1000; i++) {
			assertThat(GlobalTransaction.newXid()).matches("[0-9a-f]+").hasSize(length);
		}
		assertThat(length).isBetween(30, 32);
	}

	@Test
	void newXidIs32LowercaseHexDigits() {
		for (int i = 0; i < 1000; i++) {
			assertThat(GlobalTransaction.newXid()).matches("[0-9a-f]{32}");
		}
	}

	@Test
	void newXidsAreUnique() {
		Set<String> xids = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			xids.add(GlobalTransaction.newXid());
		}
		assertThat(xids).hasSize(10_000);
	}

	@Test
	void transactionStartedHereHasNoParentNorCoordinator() {
		GlobalTransaction transaction = new GlobalTransaction("x1", "TCC", "place-order", DEADLINE);
		assertThat(transaction.xid()).isEqualTo("x1");
		assertThat(transaction.mode()).isEqualTo("TCC");
		assertThat(transaction.name()).isEqualTo("place-order");
		assertThat(transaction.deadline()).isEqualTo(DEADLINE);
		assertThat(transaction.parentBranch()).isNull();
		assertThat(transaction.coordinatorUrl()).isNull();
		assertThat(transaction.isRecorded()).isFalse();
		assertThat(transaction.toString()).isEqualTo("TCC place-order x1");
	}

	@Test
	void markRecordedIsRemembered() {
		GlobalTransaction transaction = new GlobalTransaction("x1", "TCC", "t", DEADLINE);
		transaction.markRecorded();
		assertThat(transaction.isRecorded()).isTrue();
	}

	@Test
	void joinedTransactionKeepsItsCallersBranchAndCoordinator() {
		GlobalTransaction joined = GlobalTransaction.joined("x1", "SAGA", DEADLINE, "r2",
				"http://order");
		assertThat(joined.parentBranch()).isEqualTo("r2");
		assertThat(joined.coordinatorUrl()).isEqualTo("http://order");
		assertThat(joined.mode()).isEqualTo("SAGA");
		assertThat(joined.name()).isEqualTo("joined");
	}

	@Test
	void localBranchesAndParticipantsAreNumberedEachOnTheirOwn() {
		GlobalTransaction transaction = new GlobalTransaction("x1", "SAGA", "t", DEADLINE);
		GlobalTransaction.LocalBranch first = transaction.addBranch("stock#reserve", new Object[] { "widget", 2 });
		Participant payment = transaction.addParticipant("http://payment/dtx");
		GlobalTransaction.LocalBranch second = transaction.addBranch("stock#ship", new Object[0]);
		Participant delivery = transaction.addParticipant("http://delivery/dtx");
		assertThat(first.branchId()).isEqualTo("b1");
		assertThat(second.branchId()).isEqualTo("b2");
		assertThat(payment).isEqualTo(new Participant("r1", "http://payment/dtx"));
		assertThat(delivery).isEqualTo(new Participant("r2", "http://delivery/dtx"));
	}

	@Test
	void branchesAndParticipantsAreListedInTheOrderTheyWereOpened() {
		GlobalTransaction transaction = new GlobalTransaction("x1", "SAGA", "t", DEADLINE);
		transaction.addBranch("stock#reserve", new Object[0]);
		transaction.addParticipant("http://payment/dtx");
		transaction.addBranch("stock#ship", new Object[0]);
		transaction.addParticipant("http://delivery/dtx");
		assertThat(transaction.branches()).extracting(GlobalTransaction.LocalBranch::action)
			.containsExactly("stock#reserve", "stock#ship");
		assertThat(transaction.participants()).extracting(Participant::url)
			.containsExactly("http://payment/dtx", "http://delivery/dtx");
		assertThat(transaction.branchOrder()).containsExactly("b1", "r1", "b2", "r2");
	}

	@Test
	void branchesOfAJoinedTransactionLieUnderTheCallersBranch() {
		GlobalTransaction joined = GlobalTransaction.joined("x1", "TCC", DEADLINE, "r1", null);
		assertThat(joined.addBranch("payment#freeze", new Object[0]).branchId()).isEqualTo("r1.b1");
		assertThat(joined.addParticipant("http://bank/dtx").branchId()).isEqualTo("r1.r1");
		assertThat(joined.branchOrder()).containsExactly("r1.b1", "r1.r1");
	}

	@Test
	void listsAreSnapshotsACallerCannotChange() {
		GlobalTransaction transaction = new GlobalTransaction("x1", "TCC", "t", DEADLINE);
		transaction.addBranch("a#b", new Object[0]);
		var branches = transaction.branches();
		var order = transaction.branchOrder();
		transaction.addBranch("a#c", new Object[0]);
		assertThat(branches).hasSize(1);
		assertThat(order).hasSize(1);
		assertThat(transaction.branches()).hasSize(2);
		org.assertj.core.api.Assertions.assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> transaction.branchOrder().add("b9"));
	}

	@Test
	void localBranchKeepsItsArgumentsAndResult() {
		GlobalTransaction transaction = new GlobalTransaction("x1", "SAGA", "t", DEADLINE);
		Object[] arguments = { "widget", 2 };
		GlobalTransaction.LocalBranch branch = transaction.addBranch("stock#reserve", arguments);
		assertThat(branch.arguments()).isSameAs(arguments);
		assertThat(branch.result()).isNull();
		branch.result("reservation-7");
		assertThat(branch.result()).isEqualTo("reservation-7");
	}

	@Test
	void branchesAddedFromManyThreadsGetDistinctIds() throws InterruptedException {
		GlobalTransaction transaction = new GlobalTransaction("x1", "SAGA", "t", DEADLINE);
		ExecutorService threads = Executors.newFixedThreadPool(8);
		for (int i = 0; i < 400; i++) {
			int n = i;
			threads.execute(() -> {
				if (n % 2 == 0) {
					transaction.addBranch("a#b", new Object[0]);
				}
				else {
					transaction.addParticipant("http://p/dtx");
				}
			});
		}
		threads.shutdown();
		assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		assertThat(transaction.branchOrder()).hasSize(400).doesNotHaveDuplicates();
		assertThat(transaction.branches()).extracting(GlobalTransaction.LocalBranch::branchId)
			.allMatch((id) -> id.matches("b([1-9]|[1-9][0-9]|1[0-9][0-9]|200)"));
	}

	@Test
	void ageIsNeverNegative() {
		GlobalTransaction transaction = new GlobalTransaction("x1", "TCC", "t", DEADLINE);
		assertThat(transaction.age().isNegative()).isFalse();
	}

}
