package io.dtx.xa;

/**
 * How an {@link XaGlobalTransaction} completes its branches.
 */
public enum XaProtocol {

	/**
	 * Two-phase commit: each branch is prepared when its method returns (its vote), the
	 * decision is logged, then every branch is committed or rolled back, retried until
	 * done. A branch whose decision does not come holds its locks and asks the initiator
	 * once the transaction's deadline is past; one the initiator never logged is rolled
	 * back (presumed abort).
	 */
	TWO_PHASE

}
