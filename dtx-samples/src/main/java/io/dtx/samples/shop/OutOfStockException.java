package io.dtx.samples.shop;

/**
 * Thrown when an order asks for more items than the stock holds.
 */
public class OutOfStockException extends RuntimeException {

	public OutOfStockException(String item, int ordered, int left) {
		super("cannot take " + ordered + " x " + item + " from stock: only " + left + " left");
	}

}
