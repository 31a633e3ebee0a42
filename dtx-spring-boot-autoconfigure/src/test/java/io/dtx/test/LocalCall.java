package io.dtx.test;

import org.jspecify.annotations.Nullable;

/**
 * One caller's call whose work is a local transaction, one in five refused on purpose
 * after its statements ran ({@link HotRows#failsByDesign}), and what its caller heard:
 * enough to tell, per call, what the database may hold.
 */
public class LocalCall implements Callers.Outcome {

	/**
	 * What a caller heard, as far as it tells whether its local transaction committed.
	 */
	public enum Heard {

		/** The call returned: committed. */
		RETURNED,

		/** Its own refusal, after its statements ran: rolled back. */
		REFUSED,

		/** An error before the commit (a statement, a connection): rolled back. */
		ERROR_BEFORE_COMMIT,

		/** An error from the commit itself: committed or not, the caller cannot know. */
		ERROR_AT_COMMIT

	}

	public final int number;

	public final boolean failsOnPurpose;

	public final RuntimeException refusal;

	// set in the transaction once its statements ran: only its commit was left
	private volatile boolean statementsRan;

	private volatile boolean returned;

	private volatile @Nullable Throwable thrown;

	public LocalCall(int number) {
		this.number = number;
		this.failsOnPurpose = HotRows.failsByDesign(number);
		this.refusal = new IllegalStateException("call " + number + " refused on purpose");
	}

	/**
	 * Called in the local transaction once its statements ran: refuses the call where it
	 * fails on purpose, and otherwise notes that only the commit is left.
	 */
	public void statementsRan() {
		if (this.failsOnPurpose) {
			throw this.refusal;
		}
		this.statementsRan = true;
	}

	@Override
	public void heardReturn() {
		this.returned = true;
	}

	@Override
	public void heard(Throwable thrown) {
		this.thrown = thrown;
	}

	public Heard heard() {
		if (this.returned) {
			return Heard.RETURNED;
		}
		if (this.thrown == this.refusal) {
			return Heard.REFUSED;
		}
		return this.statementsRan ? Heard.ERROR_AT_COMMIT : Heard.ERROR_BEFORE_COMMIT;
	}

	public String heardDescription() {
		Throwable thrown = this.thrown;
		return heard() + ((thrown != null && thrown != this.refusal) ? " (" + thrown + ")" : "");
	}

}
