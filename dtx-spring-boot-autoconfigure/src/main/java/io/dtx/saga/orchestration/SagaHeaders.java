package io.dtx.saga.orchestration;



/**
 * The headers of saga commands and replies: a command names its saga, step, id, type and
 * the channel to reply to, a compensation also the channel of the command it undoes; a reply names the saga and the command it answers, and whether
 * the command succeeded.
 */
final class SagaHeaders {

	static final String SAGA_ID = "Dtx-Saga-Id";

	static final String STEP = "Dtx-Saga-Step";

	// on a compensation: the channel of the command it undoes, so that a participant that takes
	// that channel fences the two against each other
	static final String COMPENSATES = "Dtx-Saga-Compensates";

	static final String COMMAND_ID = "Dtx-Command-Id";

	static final String COMMAND_TYPE = "Dtx-Command-Type";

	static final String REPLY_TO = "Dtx-Reply-To";

	static final String OUTCOME = "Dtx-Reply-Outcome";

	static final String SUCCESS = "SUCCESS";

	static final String FAILURE = "FAILURE";

	private SagaHeaders() {
	}

}
