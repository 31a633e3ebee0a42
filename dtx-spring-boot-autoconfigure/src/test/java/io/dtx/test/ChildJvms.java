package io.dtx.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.awaitility.core.ThrowingRunnable;

import static org.awaitility.Awaitility.await;

/**
 * What the crash tests do with their services in child JVMs besides starting and killing
 * them: pick ports, and wait for a state while the services stay up.
 */
public final class ChildJvms {

	private ChildJvms() {
	}

	/**
	 * A port nothing listens on now, for a service to be started on.
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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
