package io.dtx.jdbc;

import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The caller's transaction, for what dtx writes in it and acts on only once it commits
 * (an outbox message, a notification): JDBC, JPA or JTA alike, whatever transaction is
 * bound to the thread.
 */
public final class CallerTransaction {

	private CallerTransaction() {
	}

	/**
	 * Throws {@link IllegalTransactionStateException} where no transaction is active.
	 * @param operation what needs it, as the message names it, such as
	 * {@code "Outbox#publish to 'orders'"}
	 * @param decides what the commit decides, such as {@code "the message is sent"}
	 */
	public static void require(String operation, String decides) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalTransactionStateException(operation + " needs an active transaction, whose commit "
					+ "decides whether " + decides + ": call it from a @Transactional method");
		}
	}

	/**
	 * Runs {@code action} once the transaction commits, once however often it is asked
	 * for the same {@code owner} within one transaction; never where it rolls back.
	 */
	public static void afterCommitOnce(Object owner, Runnable action) {
		if (TransactionSynchronizationManager.hasResource(owner)) {
			return;
		}
		TransactionSynchronizationManager.bindResource(owner, Boolean.TRUE);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(owner);
				if (status == STATUS_COMMITTED) {
					action.run();
				}
			}

		});
	}

}
