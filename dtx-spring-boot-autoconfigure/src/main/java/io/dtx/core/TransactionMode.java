package io.dtx.core;

/**
 * How a global transaction completes its branches.
 */
public enum TransactionMode {

	/** Try, then confirm or cancel every branch. */
	TCC,

	/** Forward steps, compensated in reverse on failure. */
	SAGA

}
