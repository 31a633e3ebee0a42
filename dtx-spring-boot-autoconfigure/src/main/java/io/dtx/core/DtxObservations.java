package io.dtx.core;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * The Micrometer Observations dtx makes, so that a trace shows a global transaction, its
 * branches and its phase two, across services (through the HTTP client and server
 * observations of the calls inside it) and across Kafka (through the trace headers of
 * each message and the relay's sends). With a tracer bridge each becomes a span; with
 * only a meter registry, a timer of that name. Without an observation registry each is
 * {@link Observation#NOOP}, built without a string: they are on the coordinator's path.
 */
public final class DtxObservations {

	/**
	 * A global transaction, from its begin to the end of its phase two, in the service
	 * that began it.
	 */
	public static final String TRANSACTION = "dtx.transaction";

	/**
	 * A branch's first phase, in its local transaction with its fence row.
	 */
	public static final String BRANCH = "dtx.branch";

	/**
	 * Phase two of a transaction, or of the branches a caller opened here: every local
	 * branch confirmed or cancelled, every service called told.
	 */
	public static final String PHASE_TWO = "dtx.phase-two";

	/**
	 * One send of the outbox relay: the messages of a pass, on their way to the broker.
	 */
	public static final String RELAY_SEND = "dtx.outbox.send";

	private DtxObservations() {
	}

	/**
	 * A global transaction of the given name, its mode and id added once it has begun.
	 */
	public static Observation transaction(ObservationRegistry registry, String name) {
		if (registry.isNoop()) {
			return Observation.NOOP;
		}
		return Observation.createNotStarted(TRANSACTION, registry)
			.contextualName("dtx " + name)
			.lowCardinalityKeyValue("dtx.name", name);
	}

	/**
	 * The first phase of a branch running {@code action}.
	 */
	public static Observation branch(ObservationRegistry registry, String mode, String action, String xid) {
		if (registry.isNoop()) {
			return Observation.NOOP;
		}
		return Observation.createNotStarted(BRANCH, registry)
			.contextualName("dtx branch " + action)
			.lowCardinalityKeyValue("dtx.mode", mode)
			.lowCardinalityKeyValue("dtx.action", action)
			.highCardinalityKeyValue("dtx.xid", xid);
	}

	/**
	 * Phase two of a transaction, confirming or cancelling.
	 */
	public static Observation phaseTwo(ObservationRegistry registry, String mode, String xid, boolean confirm) {
		if (registry.isNoop()) {
			return Observation.NOOP;
		}
		return Observation.createNotStarted(PHASE_TWO, registry)
			.contextualName("dtx " + (confirm ? "confirm" : "cancel"))
			.lowCardinalityKeyValue("dtx.mode", mode)
			.lowCardinalityKeyValue("dtx.decision", confirm ? "confirm" : "cancel")
			.highCardinalityKeyValue("dtx.xid", xid);
	}

	/**
	 * A send of the outbox relay.
	 */
	public static Observation relaySend(ObservationRegistry registry) {
		return Observation.createNotStarted(RELAY_SEND, registry).contextualName("dtx outbox send");
	}

}
