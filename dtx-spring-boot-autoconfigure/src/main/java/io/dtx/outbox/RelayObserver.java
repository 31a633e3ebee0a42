package io.dtx.outbox;

/**
 * Told what the relay did in each pass, for metrics.
 */
public interface RelayObserver {

	/**
	 * Does nothing.
	 */
	RelayObserver NONE = new RelayObserver() {
	};

	/**
	 * {@code count} messages were acknowledged by the broker.
	 */
	default void sent(int count) {
	}

	/**
	 * {@code count} attempts failed; {@code dead} of them were the last and parked their
	 * message.
	 */
	default void failed(int count, int dead) {
	}

}
