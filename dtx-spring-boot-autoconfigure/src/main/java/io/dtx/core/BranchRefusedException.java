package io.dtx.core;

/**
 * A local branch that arrived after its global transaction was
 * cancelled, or after the cancel of its own branch: it is refused and changes nothing.
 * Over HTTP, dtx answers it with 409 Conflict unless the application handles it itself.
 */
public class BranchRefusedException extends RuntimeException {

	public BranchRefusedException(String message) {
		super(message);
	}

}
