package io.dtx.samples.tccshop.stock;

/**
 * Thrown by a reservation that asks for more items than are available.
 */
public class OutOfStockException extends RuntimeException {

	public OutOfStockException(String item, int quantity, int available) {
		super("cannot reserve " + quantity + " x " + item + ", only " + available + " available");
	}

}
