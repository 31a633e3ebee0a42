package io.dtx.message;

/**
 * What became of a transactional message's local transaction, as its barrier says.
 */
public enum MessageState {

	/** The local transaction committed: the message goes to its topic. */
	COMMITTED,

	/** The local transaction rolled back, or never wrote its barrier: the message is dropped. */
	ROLLED_BACK

}
