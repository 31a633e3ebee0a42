package io.dtx.ops;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Work a mode gave up on and left for an operator: failed sagas, dead outbox messages,
 * exhausted notifications. Each mode registers one bean of it; the endpoint lists and
 * retries it at {@code /actuator/dtx/{name}}, the health contributor and the gauges count
 * it. Nothing of this package changes when a mode adds its own.
 */
public interface ParkedWork {

	/**
	 * Its name in the endpoint's paths and the health details, such as
	 * {@code failed-sagas}: lower case words joined by dashes, unique among the beans.
	 */
	String name();

	/**
	 * The name of its gauge, such as {@code dtx.sagas.failed}.
	 */
	String meterName();

	/**
	 * How many there are.
	 */
	long count();

	/**
	 * At most {@code limit} of them, in the order the mode lists them.
	 */
	List<?> list(int limit);

	/**
	 * Gives one another round; returns what became of it, in words, or {@code null} where
	 * none of that id is parked.
	 * @throws IllegalStateException where it is there but not in a state to be retried
	 */
	@Nullable String retry(String id);

	/**
	 * Gives one up for good; returns what became of it, or {@code null} where none of that
	 * id is parked.
	 * @throws UnsupportedOperationException where this work cannot be discarded
	 */
	default @Nullable String discard(String id) {
		throw new UnsupportedOperationException(name() + " cannot be discarded, only retried");
	}

}
