package io.dtx.notify;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where notifications of one endpoint name go, and how they are signed and retried.
 *
 * @param url the URL they are posted to
 * @param secret the secret that signs them, shared with the receiver
 * @param schedule the delays between attempts after the first, {@code null} for
 * {@code dtx.notify.schedule}
 * @param readTimeout how long an attempt waits for the answer, {@code null} for
 * {@code dtx.notify.read-timeout}
 */
public record NotificationEndpoint(URI url, String secret, @Nullable List<Duration> schedule,
		@Nullable Duration readTimeout) {

	public NotificationEndpoint {
		if (secret.isEmpty()) {
			throw new IllegalArgumentException("The secret of notification endpoint " + url + " is empty");
		}
		schedule = (schedule != null) ? List.copyOf(schedule) : null;
	}

	/**
	 * An endpoint with the default schedule and read timeout.
	 */
	public NotificationEndpoint(URI url, String secret) {
		this(url, secret, null, null);
	}

}
