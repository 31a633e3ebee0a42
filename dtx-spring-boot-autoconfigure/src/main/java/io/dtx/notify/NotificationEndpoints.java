package io.dtx.notify;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Resolves an endpoint's name to where its notifications go, each time one is sent: a
 * bean of the application's own (merchants kept in its database) replaces the one built
 * from {@code dtx.notify.endpoints}.
 */
@FunctionalInterface
public interface NotificationEndpoints {

	/**
	 * The endpoint of that name, or {@code null} where there is none: the attempt fails
	 * and is tried again on the default schedule.
	 */
	@Nullable NotificationEndpoint find(String name);

	/**
	 * The endpoints of a fixed map.
	 */
	static NotificationEndpoints of(Map<String, NotificationEndpoint> endpoints) {
		Map<String, NotificationEndpoint> copy = Map.copyOf(endpoints);
		return copy::get;
	}

}
