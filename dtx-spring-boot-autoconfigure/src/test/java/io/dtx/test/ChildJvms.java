package io.dtx.test;

import java.time.Duration;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.awaitility.core.ThrowingRunnable;

import static org.awaitility.Awaitility.await;

/**
 * What the crash tests do with their services in child JVMs besides starting and killing
 * them: wait for a state while the services stay up (their ports come from {@link Ports}).
 */
public final class ChildJvms {

	private ChildJvms() {
	}


	/**
	 * Waits until the assertion holds, and fails, showing every service's output, when the
	 * timeout passes or one of the services exits first.
	 */
	public static void awaitWhileAlive(List<ChildJvm> services, Duration timeout, String what,
			ThrowingRunnable assertion) {
		try {
			await().atMost(timeout)
				.pollInterval(Duration.ofMillis(200))
				.failFast("a service exited", () -> services.stream().anyMatch((child) -> !child.isAlive()))
				.untilAsserted(assertion);
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			StringBuilder outputs = new StringBuilder();
			services.forEach((child) -> outputs.append('\n').append(child.describe()));
			throw new AssertionError(what + outputs, ex);
		}
	}

}
