package io.dtx.xa;

/**
 * An XA transaction across services whose method returned normally, but after its
 * deadline: it was rolled back, not committed.
 */
public class XaTimeoutException extends RuntimeException {

	public XaTimeoutException(String message) {
		super(message);
	}

}
