package io.dtx.saga.orchestration;

import java.time.Duration;

import io.dtx.core.ErrorText;
import io.dtx.jdbc.PeriodicTask;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.TaskScheduler;

/**
 * Looks, every so often, for sagas whose reply is overdue or whose compensation is due to be
 * sent again, and has the orchestrator move each in a transaction of its own. Every instance
 * may run it: the saga's row lock, taken again for each, lets one move it.
 */
public class SagaTimeouts extends PeriodicTask {

	private static final Log logger = LogFactory.getLog(SagaTimeouts.class);

	private static final int BATCH = 100;

	private final SagaOrchestrator orchestrator;

	public SagaTimeouts(SagaOrchestrator orchestrator, TaskScheduler scheduler, Duration interval) {
		super(scheduler, interval, interval);
		this.orchestrator = orchestrator;
	}

	@Override
	protected void runOnce() {
		for (String sagaId : this.orchestrator.overdue(BATCH)) {
			try {
				this.orchestrator.onOverdue(sagaId);
			}
			catch (RuntimeException ex) {
				logger.warn("Saga " + sagaId + " could not be moved on; the next pass tries again: " + ErrorText.of(ex));
			}
		}
	}

}
