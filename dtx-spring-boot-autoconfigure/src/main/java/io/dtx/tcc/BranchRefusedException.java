package io.dtx.tcc;

/**
 * A try that arrived after its global transaction was cancelled, or after a cancel of its
 * own branch: it is refused and reserves nothing.
 */
public class BranchRefusedException extends RuntimeException {

	public BranchRefusedException(String message) {
		super(message);
	}

}
