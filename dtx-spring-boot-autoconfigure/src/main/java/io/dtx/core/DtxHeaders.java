package io.dtx.core;

/**
 * The headers that carry a global transaction from one service to the next, over HTTP
 * and in Kafka records alike.
 */
public final class DtxHeaders {

	/** The global transaction id. */
	public static final String XID = "Dtx-Xid";

	/** The branch the callee runs under, opened for it by the caller. */
	public static final String BRANCH = "Dtx-Branch";

	/** The name of the transaction's mode. */
	public static final String MODE = "Dtx-Mode";

	/** The deadline, in milliseconds since the epoch. */
	public static final String DEADLINE = "Dtx-Deadline";

	/** The base URL of the service that decides the outcome. */
	public static final String COORDINATOR = "Dtx-Coordinator";

	/** The id of a message sent through the outbox, which an inbox recognises it by. */
	public static final String MESSAGE_ID = "Dtx-Message-Id";

	/** When a phase-two request was signed, in milliseconds since the epoch. */
	public static final String TIMESTAMP = "Dtx-Timestamp";

	/** The HMAC signature of a phase-two request. */
	public static final String SIGNATURE = "Dtx-Signature";

	private DtxHeaders() {
	}

}
