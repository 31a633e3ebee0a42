package io.dtx.outbox;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A message the relay gave up on after {@code dtx.outbox.max-attempts}. The later
 * messages of its key wait behind it until it is retried or discarded.
 *
 * @param id its place in the order of the outbox
 * @param messageId the id of the message
 * @param topic its topic
 * @param key its key
 * @param attempts the attempts made
 * @param lastError why the last attempt failed
 * @param createdAt when it was published
 */
public record DeadMessage(long id, String messageId, String topic, @Nullable String key, int attempts,
		@Nullable String lastError, Instant createdAt) {

}
