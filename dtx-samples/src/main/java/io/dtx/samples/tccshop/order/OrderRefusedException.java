package io.dtx.samples.tccshop.order;

/**
 * Thrown when a service refuses its part of an order: the order's transaction is then
 * cancelled in every service.
 */
public class OrderRefusedException extends RuntimeException {

	public OrderRefusedException(String service, String reason) {
		super(service + " refused: " + reason);
	}

}
