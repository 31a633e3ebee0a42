package io.dtx.samples.sagashop.order;

/**
 * Thrown when a service refuses its step of an order: the steps done before are then
 * compensated.
 */
public class OrderRefusedException extends RuntimeException {

	OrderRefusedException(String service, String reason) {
		super(service + " refused: " + reason);
	}

}
