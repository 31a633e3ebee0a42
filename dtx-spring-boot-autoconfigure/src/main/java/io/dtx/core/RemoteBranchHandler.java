package io.dtx.core;

/**
 * Completes, in this service, a branch that a caller opened here: the phase two its
 * coordinator asks for through the phase-two endpoint.
 */
public interface RemoteBranchHandler {

	TransactionMode mode();

	/**
	 * Confirms or cancels everything run here under the branch; safe to repeat.
	 */
	void completeRemoteBranch(String xid, String branchId, boolean confirm);

}
