package io.dtx.message;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A half message whose check-backs ran out: its producer did not answer
 * {@code max-checks} times.
 *
 * @param messageId its id
 * @param topic where it goes once committed
 * @param key its key there; {@code null} for none
 * @param producer the base URL its check-backs went to
 * @param sentAt when its half message was written
 * @param checks how many check-backs failed
 * @param lastError why the last one failed
 */
public record ParkedMessage(String messageId, @Nullable String topic, @Nullable String key, String producer,
		Instant sentAt, int checks, String lastError) {

}
