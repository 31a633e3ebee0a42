package io.dtx.faults;

import io.dtx.core.OutcomeUnknownException;
import io.dtx.saga.SagaTimeoutException;
import io.dtx.tcc.TccTimeoutException;
import io.dtx.test.Callers;
import io.dtx.test.CommitFaults;
import org.jspecify.annotations.Nullable;

/**
 * One call of a caller: what its method did, as the method itself recorded it (its
 * global transaction id, whether it returned or the exception it threw), and what the
 * caller heard. The two are compared with what the database holds once it converged.
 */
final class Call implements Callers.Outcome {

	private final int number;

	private final boolean failsOnPurpose;

	private final CommitFaults.@Nullable Kind fault;

	private final long startedAt = System.nanoTime();

	private volatile long endedAt;

	private volatile @Nullable String xid;

	private volatile boolean methodReturned;

	private volatile @Nullable RuntimeException methodThrew;

	private volatile boolean heardReturn;

	private volatile @Nullable Throwable heard;

	Call(int number, boolean failsOnPurpose, CommitFaults.@Nullable Kind fault) {
		this.number = number;
		this.failsOnPurpose = failsOnPurpose;
		this.fault = fault;
	}

	int number() {
		return this.number;
	}

	boolean failsOnPurpose() {
		return this.failsOnPurpose;
	}

	/** The fault to arm at the commit of this call's decision, if any. */
	CommitFaults.@Nullable Kind fault() {
		return this.fault;
	}

	int amount() {
		return this.number % 7 + 1;
	}

	int quantity() {
		return this.number % 3 + 1;
	}

	@Nullable String xid() {
		return this.xid;
	}

	// what the method records

	void began(String xid) {
		this.xid = xid;
	}

	void methodReturned() {
		this.methodReturned = true;
	}

	RuntimeException methodThrew(RuntimeException ex) {
		this.methodThrew = ex;
		return ex;
	}

	// what the caller records

	@Override
	public void heardReturn() {
		this.heardReturn = true;
		this.endedAt = System.nanoTime();
	}

	@Override
	public void heard(Throwable ex) {
		this.heard = ex;
		this.endedAt = System.nanoTime();
		if (ex instanceof OutcomeUnknownException unknown && this.xid == null) {
			this.xid = unknown.xid();
		}
	}

	/**
	 * What the method did: returned, threw on purpose, threw because its own SQL failed,
	 * or never ran.
	 */
	String method() {
		if (this.methodThrew != null) {
			return (this.methodThrew instanceof OrderRefusedException) ? "threw on purpose"
					: "threw (its own " + this.methodThrew.getClass().getSimpleName() + ")";
		}
		return this.methodReturned ? "returned" : "never ran";
	}

	boolean methodThrew() {
		return this.methodThrew != null;
	}

	/**
	 * What the caller heard, in the terms of the rules it may rely on.
	 */
	Heard heardKind() {
		Throwable heard = this.heard;
		if (this.heardReturn) {
			return Heard.SUCCESS;
		}
		if (heard != null && heard == this.methodThrew) {
			return Heard.OWN_EXCEPTION;
		}
		if (heard instanceof TccTimeoutException || heard instanceof SagaTimeoutException) {
			return Heard.CANCELLED;
		}
		if (heard instanceof OutcomeUnknownException) {
			return Heard.OUTCOME_UNKNOWN;
		}
		return Heard.OTHER;
	}

	/**
	 * What the caller heard, for a report: the kind, and the exception of an other.
	 */
	String heardDescription() {
		Heard kind = heardKind();
		return (kind == Heard.OTHER) ? "other: " + describe(this.heard) : kind.toString();
	}

	/** How long the caller waited. */
	long millis() {
		return (this.endedAt - this.startedAt) / 1_000_000;
	}

	@Nullable Throwable heard() {
		return this.heard;
	}

	private static String describe(@Nullable Throwable ex) {
		if (ex == null) {
			return "nothing";
		}
		// numbers (connection ids) vary from call to call: a report groups calls without them
		String message = String.valueOf(ex.getMessage()).replaceAll("[0-9]+", "#");
		return ex.getClass().getSimpleName() + " (" + message.substring(0, Math.min(message.length(), 80)) + ")";
	}

	enum Heard {

		SUCCESS, OWN_EXCEPTION, CANCELLED, OUTCOME_UNKNOWN, OTHER

	}

	/**
	 * Thrown by the method of one call in five, after its branches ran.
	 */
	static class OrderRefusedException extends RuntimeException {

		OrderRefusedException(int number) {
			super("order " + number + " refused on purpose");
		}

	}

}
