package io.dtx.coordinator;

import java.util.function.Function;

import io.dtx.core.BranchRefusedException;
import io.dtx.core.DtxObservations;
import io.dtx.core.GlobalState;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.core.InvocationFailure;
import io.dtx.fence.BranchFence;
import io.micrometer.observation.ObservationRegistry;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lets a local branch (the first phase of any mode) into its global transaction, inside the
 * branch's own local transaction and before its business change: writes or share-locks
 * the transaction's row (or the row of the branch a caller opened here), then writes the
 * branch's fence row. Either lock holds off any decision until the branch commits.
 */
public final class BranchEntry {

	private final GlobalTransactionLog log;

	private final BranchFence fence;

	private final TransactionTemplate localTransaction;

	private final Function<Object[], String> encodeArguments;

	private final Function<Object, String> encodeResult;

	private final ObservationRegistry observations;

	/**
	 * @param encodeArguments writes a branch's arguments into its fence row, for a phase
	 * two run from the fence
	 * @param encodeResult writes what a branch returned, where its phase two takes it
	 * @param observations where each branch's first phase is observed
	 */
	public BranchEntry(GlobalTransactionLog log, BranchFence fence, PlatformTransactionManager transactionManager,
			Function<Object[], String> encodeArguments, Function<Object, String> encodeResult,
			ObservationRegistry observations) {
		this.log = log;
		this.fence = fence;
		this.localTransaction = new TransactionTemplate(transactionManager);
		this.encodeArguments = encodeArguments;
		this.encodeResult = encodeResult;
		this.observations = observations;
	}

	/**
	 * Registers an intercepted call as a local branch of the current thread's transaction
	 * of {@code mode}, before it runs: a branch whose first phase fails half-way is
	 * cancelled all the same. Throws, naming the method and what it {@code needs}, where
	 * the thread has no transaction of that mode.
	 */
	public RegisteredBranch register(String mode, String action, MethodInvocation invocation, String needs) {
		GlobalTransaction transaction = GlobalTransactionContext.current();
		if (transaction == null || !mode.equals(transaction.mode())) {
			throw new IllegalStateException(invocation.getMethod().getDeclaringClass().getName() + "."
					+ invocation.getMethod().getName() + " was called outside " + needs);
		}
		GlobalTransaction.LocalBranch branch = transaction.addBranch(action, invocation.getArguments().clone());
		return new RegisteredBranch(transaction, branch, this.encodeArguments.apply(branch.arguments()), invocation);
	}

	/**
	 * A branch registered and about to run its first phase, once or, where its mode
	 * retries, several times.
	 */
	public final class RegisteredBranch {

		private final GlobalTransaction transaction;

		private final GlobalTransaction.LocalBranch branch;

		private final String arguments;

		private final MethodInvocation invocation;

		private RegisteredBranch(GlobalTransaction transaction, GlobalTransaction.LocalBranch branch, String arguments,
				MethodInvocation invocation) {
			this.transaction = transaction;
			this.branch = branch;
			this.arguments = arguments;
			this.invocation = invocation;
		}

		/**
		 * Runs the first phase: enters the branch and runs the intercepted method in one
		 * local transaction (joining the caller's, if it has one); where
		 * {@code keepResult}, what the method returned goes onto the branch's fence row
		 * with it, and onto the branch once committed. Returns what the method returned,
		 * or {@code null} where the branch ran before. The method's own exception reaches
		 * the caller unchanged, checked ones too.
		 */
		public @Nullable Object run(boolean keepResult) throws Throwable {
			return DtxObservations
				.branch(BranchEntry.this.observations, this.transaction.mode(), this.branch.action(),
						this.transaction.xid())
				.observeChecked(() -> runFirstPhase(keepResult));
		}

		private @Nullable Object runFirstPhase(boolean keepResult) throws Throwable {
			boolean[] ran = { false };
			Object result;
			try {
				result = BranchEntry.this.localTransaction.execute((status) -> {
					if (enter(this.transaction, this.branch, this.arguments) == BranchFence.TryOutcome.ALREADY_TRIED) {
						return null;
					}
					Object returned = InvocationFailure.proceed(this.invocation);
					if (returned != null && keepResult) {
						BranchEntry.this.fence.recordResult(this.transaction.xid(), this.branch.branchId(),
								BranchEntry.this.encodeResult.apply(returned));
					}
					ran[0] = true;
					return returned;
				});
			}
			catch (RuntimeException ex) {
				if (ran[0]) {
					// it ran and its commit failed: it may have committed all the same, and the
					// transaction's row with it, which phase two must then find
					this.transaction.markRecorded();
				}
				throw InvocationFailure.unwrap(ex);
			}
			// committed: the transaction's row exists, written by this branch or an earlier one
			this.transaction.markRecorded();
			if (keepResult) {
				this.branch.result(result);
			}
			return result;
		}

	}

	/**
	 * Enters the branch: {@link BranchFence.TryOutcome#RUN} when its business change may
	 * run, {@link BranchFence.TryOutcome#ALREADY_TRIED} when it ran before; throws
	 * {@link BranchRefusedException} when the transaction or the caller's branch is past
	 * the point where it may take new branches.
	 */
	private BranchFence.TryOutcome enter(GlobalTransaction transaction, GlobalTransaction.LocalBranch branch,
			String arguments) {
		String xid = transaction.xid();
		String parentBranch = transaction.parentBranch();
		if (parentBranch == null) {
			// the first branch writes the transaction's row; later ones read it under a share
			// lock: either way no decision by recovery can slip in before this branch commits
			if (transaction.isRecorded() || !this.log.beginIfAbsent(transaction)) {
				GlobalState state = this.log.lockedState(xid);
				if (state != GlobalState.TRYING) {
					throw new BranchRefusedException("[" + xid + "] " + branch.action()
							+ " refused: the transaction is " + state);
				}
			}
		}
		else if (this.fence.enterUnderRemoteBranch(transaction) == BranchFence.TryOutcome.REFUSED) {
			// likewise holds off phase two of the branch the caller opened here
			throw new BranchRefusedException("[" + xid + "] " + branch.action() + " refused: branch " + parentBranch
					+ " of its caller is already in phase two");
		}
		BranchFence.TryOutcome outcome = this.fence.enterTry(xid, branch.branchId(), branch.action(), arguments);
		if (outcome == BranchFence.TryOutcome.REFUSED) {
			throw new BranchRefusedException("[" + xid + "] " + branch.action() + " " + branch.branchId()
					+ " refused: it was cancelled before it arrived");
		}
		return outcome;
	}

}
