package io.dtx.core;

/**
 * How dtx writes down why an attempt failed, for an operator to read in a
 * {@code last_error} column: every cause, the outermost first, since a client library's
 * own exception often says little (the JDK's HTTP client reports a refused connection
 * as a bare {@code ClosedChannelException} under its own).
 */
public final class ErrorText {

	/**
	 * The length of every {@code last_error} column.
	 */
	public static final int MAX_LENGTH = 1000;

	private ErrorText() {
	}

	/**
	 * The failure and its causes, each as its simple class name and message, cut to
	 * {@link #MAX_LENGTH}.
	 */
	public static String of(Throwable failure) {
		StringBuilder text = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (!text.isEmpty()) {
				text.append("; caused by ");
			}
			text.append(cause.getClass().getSimpleName());
			if (cause.getMessage() != null) {
				text.append(": ").append(cause.getMessage());
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return fit(text.toString());
	}

	/**
	 * The text cut to {@link #MAX_LENGTH}.
	 */
	public static String fit(String text) {
		return (text.length() <= MAX_LENGTH) ? text : text.substring(0, MAX_LENGTH);
	}

}
