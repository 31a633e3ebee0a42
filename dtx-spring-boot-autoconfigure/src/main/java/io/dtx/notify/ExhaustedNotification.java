package io.dtx.notify;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A notification whose every attempt of its schedule failed; {@link Notifications#retry}
 * gives it a new round.
 *
 * @param id its id
 * @param endpoint the name of the endpoint it was for
 * @param type its type
 * @param attempts how many attempts failed
 * @param lastError what the last attempt got: the status and body, or the exception
 * @param createdAt when it was written
 */
public record ExhaustedNotification(String id, String endpoint, String type, int attempts, @Nullable String lastError,
		Instant createdAt) {

}
