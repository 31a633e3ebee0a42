package io.dtx.notify;

/**
 * Told what each attempt of the dispatcher came to, for metrics.
 */
public interface DispatchObserver {

	/**
	 * Does nothing.
	 */
	DispatchObserver NONE = new DispatchObserver() {
	};

	/**
	 * An endpoint answered 2xx.
	 */
	default void delivered() {
	}

	/**
	 * An attempt failed; {@code exhausted} where it was the last of the schedule.
	 */
	default void failed(boolean exhausted) {
	}

}
