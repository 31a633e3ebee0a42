package io.dtx.samples.sagashop.stock;

/**
 * A reservation refused: fewer items are left than asked for.
 */
public class OutOfStockException extends RuntimeException {

	OutOfStockException(String item, int quantity, int available) {
		super("cannot take " + quantity + " x " + item + ", only " + available + " available");
	}

}
