package io.dtx.core;

/**
 * The method of a global transaction returned, but dtx could not learn before the
 * transaction's deadline whether it was confirmed or cancelled: the database that holds
 * its row did not answer (a commit whose answer was lost, a server that is down). dtx never
 * guesses: the outcome is the one the row of {@link #xid()} in the coordinator's log table
 * ({@code dtx_global_transaction} unless {@code dtx.table-prefix} says otherwise) holds once
 * the database answers again, and recovery drives it to its end. CONFIRMING and CONFIRMED
 * mean confirmed; TRYING, CANCELLING and CANCELLED mean cancelled (or about to be).
 */
public class OutcomeUnknownException extends RuntimeException {

	private final String xid;

	public OutcomeUnknownException(String description, String xid, String table, Throwable cause) {
		super("The outcome of " + description + " [" + xid + "] is unknown: its database did not answer before the "
				+ "deadline (" + cause + "). dtx did not guess: once the database answers, `select state from "
				+ table + " where xid = '" + xid + "'` tells it (CONFIRMING/CONFIRMED: confirmed; TRYING, "
				+ "CANCELLING, CANCELLED: cancelled), and recovery finishes it", cause);
		this.xid = xid;
	}

	/**
	 * The global transaction whose outcome is unknown.
	 */
	public String xid() {
		return this.xid;
	}

}
