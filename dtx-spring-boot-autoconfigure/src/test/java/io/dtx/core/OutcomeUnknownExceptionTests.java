package io.dtx.core;

import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a caller reads when dtx could not learn a transaction's outcome.
 */
class OutcomeUnknownExceptionTests {

	private final SQLTransientConnectionException cause = new SQLTransientConnectionException("connection refused");

	private final OutcomeUnknownException exception = new OutcomeUnknownException("TCC place-order", "abc123",
			"shop_global_transaction", this.cause);

	@Test
	void keepsTheXidAndTheCause() {
		assertThat(this.exception.xid()).isEqualTo("abc123");
		assertThat(this.exception.getCause()).isSameAs(this.cause);
	}

	@Test
	void messageNamesTheTransactionAndWhyItIsUnknown() {
		assertThat(this.exception.getMessage()).startsWith("The outcome of TCC place-order [abc123] is unknown")
			.contains("connection refused");
	}

	@Test
	void messageGivesTheQueryThatTellsTheOutcomeOnTheConfiguredTable() {
		assertThat(this.exception.getMessage())
			.contains("`select state from shop_global_transaction where xid = 'abc123'`");
	}

	@Test
	void messageSaysHowToReadEachState() {
		assertThat(this.exception.getMessage()).contains("CONFIRMING/CONFIRMED: confirmed")
			.contains("TRYING, CANCELLING, CANCELLED: cancelled")
			.contains("recovery finishes it");
	}

	@Test
	void isUnchecked() {
		assertThat(this.exception).isInstanceOf(RuntimeException.class);
	}

}
