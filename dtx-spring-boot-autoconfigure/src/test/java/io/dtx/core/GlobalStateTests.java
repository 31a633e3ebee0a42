package io.dtx.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which states of the coordinator log end a transaction.
 */
class GlobalStateTests {

	@Test
	void confirmedAndCancelledAreFinal() {
		assertThat(GlobalState.CONFIRMED.isFinal()).isTrue();
		assertThat(GlobalState.CANCELLED.isFinal()).isTrue();
	}

	@Test
	void undecidedAndDecidedButUnfinishedStatesAreNotFinal() {
		assertThat(GlobalState.TRYING.isFinal()).isFalse();
		assertThat(GlobalState.CONFIRMING.isFinal()).isFalse();
		assertThat(GlobalState.CANCELLING.isFinal()).isFalse();
	}

	@Test
	void failedIsNotFinalSoRetentionKeepsIt() {
		assertThat(GlobalState.FAILED.isFinal()).isFalse();
	}

	@Test
	void statesAreStoredByTheseNames() {
		// the names are written into dtx_global_transaction.state and documented for operators
		assertThat(GlobalState.values()).extracting(Enum::name)
			.containsExactly("TRYING", "CONFIRMING", "CANCELLING", "CONFIRMED", "CANCELLED", "FAILED");
	}

}
