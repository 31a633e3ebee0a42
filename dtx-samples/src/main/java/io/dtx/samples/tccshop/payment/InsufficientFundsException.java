package io.dtx.samples.tccshop.payment;

/**
 * Thrown by a freeze that asks for more than an account has free.
 */
public class InsufficientFundsException extends RuntimeException {

	public InsufficientFundsException(String account, int amount) {
		super("cannot freeze " + amount + " of " + account + "'s funds: not enough free");
	}

}
