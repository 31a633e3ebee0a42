package io.dtx.xa;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;

import io.dtx.aop.AnnotatedMethods;
import io.dtx.coordinator.CoordinatorTransactions;
import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.TransactionModeSupport;
import io.dtx.core.BranchRefusedException;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.fence.BranchFence;
import io.dtx.jdbc.PreparedTransactions;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.UnexpectedRollbackException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs an {@link XaBranch} method as a prepared branch: first makes sure the decision
 * will find it (the transaction's row in the initiator, the row of the branch the caller
 * opened here in a participant, each committed on its own: a prepared transaction's rows
 * are invisible until the decision), then begins a transaction under the branch's global
 * id on a connection bound to the thread as Spring's DataSource transaction manager binds
 * one, so that {@code JdbcTemplate} and {@code @Transactional} code inside join it, and
 * prepares it when the method returns. A method that throws rolls it back.
 */
final class XaBranchInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(XaBranchInterceptor.class);

	private final PreparedBranches branches;

	private final GlobalTransactionLog log;

	private final BranchFence fence;

	private final CoordinatorTransactions transactions;

	XaBranchInterceptor(PreparedBranches branches, TransactionModeSupport support) {
		this.branches = branches;
		this.log = support.log();
		this.fence = support.fence();
		this.transactions = support.transactions();
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		GlobalTransaction transaction = GlobalTransactionContext.current();
		if (transaction == null || !XaCoordinator.MODE.equals(transaction.mode())) {
			throw new IllegalStateException("@XaBranch " + AnnotatedMethods.describe(method) + " was called "
					+ "outside any @XaGlobalTransaction and outside any request that carries one: its SQL can only "
					+ "run as a branch of a global XA transaction");
		}
		Object bound = TransactionSynchronizationManager.getResource(this.branches.dataSource());
		if (bound instanceof BranchConnection) {
			// an XaBranch called from another one: joins its branch
			return invocation.proceed();
		}
		if (bound != null || TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("@XaBranch " + AnnotatedMethods.describe(method) + " was called "
					+ "inside a local transaction; call it outside any @Transactional method: it runs in a "
					+ "transaction of its own, which its database prepares");
		}
		GlobalTransaction.LocalBranch branch = transaction.addBranch(method.getName(), new Object[0]);
		String globalId = PreparedBranches.globalId(transaction.xid(), branch.branchId());
		if (globalId == null) {
			throw new BranchRefusedException("[" + transaction.xid() + "] " + method.getName() + " refused: the "
					+ "transaction's id cannot name a prepared transaction (it came from no dtx coordinator)");
		}
		enter(transaction, method);
		Object result = runPrepared(invocation, globalId);
		if (transaction.parentBranch() != null && enterUnderCallersBranch(transaction) == BranchFence.TryOutcome.REFUSED) {
			// the caller's rollback came while this branch ran: it may not have seen it prepared
			this.branches.rollback(globalId);
			throw refused(transaction, method);
		}
		return result;
	}

	// before anything is prepared, durably: what is prepared here must be found by the decision
	private void enter(GlobalTransaction transaction, Method method) {
		if (transaction.parentBranch() == null) {
			if (!transaction.isRecorded()) {
				this.transactions.execute((status) -> this.log.beginIfAbsent(transaction));
				transaction.markRecorded();
			}
		}
		else if (enterUnderCallersBranch(transaction) == BranchFence.TryOutcome.REFUSED) {
			throw refused(transaction, method);
		}
	}

	private BranchFence.TryOutcome enterUnderCallersBranch(GlobalTransaction transaction) {
		BranchFence.TryOutcome outcome = this.transactions
			.execute((status) -> this.fence.enterUnderRemoteBranch(transaction));
		return (outcome != null) ? outcome : BranchFence.TryOutcome.REFUSED;
	}

	private static BranchRefusedException refused(GlobalTransaction transaction, Method method) {
		return new BranchRefusedException("[" + transaction.xid() + "] " + method.getName() + " refused: branch "
				+ transaction.parentBranch() + " of its caller is already rolled back");
	}

	// the method's own exception reaches the caller unchanged, a checked SQLException too
	private @Nullable Object runPrepared(MethodInvocation invocation, String globalId) throws Throwable {
		PreparedTransactions statements = this.branches.statements();
		Connection connection = this.branches.branchConnection();
		// closed for good where its session still holds a transaction it prepared or failed to end
		boolean discard = false;
		try {
			dtxStatement(() -> statements.begin(connection, globalId), "begin " + globalId);
			BranchConnection holder = new BranchConnection(connection);
			Object result;
			TransactionSynchronizationManager.bindResource(this.branches.dataSource(), holder);
			try {
				result = invocation.proceed();
			}
			catch (Throwable ex) {
				discard = !abandon(connection, globalId, ex);
				throw ex;
			}
			finally {
				TransactionSynchronizationManager.unbindResource(this.branches.dataSource());
			}
			if (holder.isRollbackOnly()) {
				UnexpectedRollbackException rolledBack = new UnexpectedRollbackException("[" + globalId + "] "
						+ "a @Transactional method inside the branch failed and was marked rollback-only");
				discard = !abandon(connection, globalId, rolledBack);
				throw rolledBack;
			}
			// the branch's vote: an exception here fails the call, and the initiator rolls back
			dtxStatement(() -> statements.prepare(connection, globalId), "prepare " + globalId);
			discard = statements.preparedKeepsConnection();
			return result;
		}
		finally {
			this.branches.release(connection, discard);
		}
	}

	private void dtxStatement(SqlStatement statement, String task) {
		try {
			statement.run();
		}
		catch (SQLException ex) {
			throw this.branches.translate(task, ex);
		}
	}

	// false where the rollback failed: the connection's session may still be in the transaction
	private boolean abandon(Connection connection, String globalId, Throwable cause) {
		try {
			this.branches.statements().abandon(connection, globalId);
			return true;
		}
		catch (SQLException | RuntimeException ex) {
			// the database rolls it back as the connection goes: the caller hears its own exception
			cause.addSuppressed(ex);
			logger.debug("[" + globalId + "] rolling back failed: " + ex);
			return false;
		}
	}

	@FunctionalInterface
	private interface SqlStatement {

		void run() throws SQLException;

	}

	/**
	 * The branch's connection as bound to the thread: in a transaction, which code inside
	 * joins and does not commit.
	 */
	static final class BranchConnection extends ConnectionHolder {

		BranchConnection(Connection connection) {
			super(connection);
			setTransactionActive(true);
		}

	}

}
