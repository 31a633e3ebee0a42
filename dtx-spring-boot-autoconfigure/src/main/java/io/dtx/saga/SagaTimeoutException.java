package io.dtx.saga;

/**
 * A saga whose method returned after its deadline, or whose steps recovery had begun to
 * compensate meanwhile: every step that committed was compensated.
 */
public class SagaTimeoutException extends RuntimeException {

	SagaTimeoutException(String message) {
		super(message);
	}

}
