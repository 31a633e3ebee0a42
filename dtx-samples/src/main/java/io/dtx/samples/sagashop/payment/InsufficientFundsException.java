package io.dtx.samples.sagashop.payment;

/**
 * A charge refused: the account holds less than the amount.
 */
public class InsufficientFundsException extends RuntimeException {

	InsufficientFundsException(String account, int amount) {
		super("cannot charge " + amount + " to " + account + ": insufficient funds");
	}

}
