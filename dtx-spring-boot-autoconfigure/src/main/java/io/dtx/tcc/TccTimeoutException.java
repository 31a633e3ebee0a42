package io.dtx.tcc;

/**
 * A TCC transaction that returned normally, but after its deadline: it was cancelled, not
 * confirmed.
 */
public class TccTimeoutException extends RuntimeException {

	public TccTimeoutException(String message) {
		super(message);
	}

}
