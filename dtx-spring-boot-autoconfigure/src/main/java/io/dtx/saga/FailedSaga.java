package io.dtx.saga;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A saga whose compensation ran out of attempts.
 *
 * @param xid its global transaction id
 * @param name its name
 * @param deadline the deadline it had
 * @param attempts how many times its compensation was attempted
 * @param lastError why its last attempt failed
 */
public record FailedSaga(String xid, String name, Instant deadline, int attempts, @Nullable String lastError) {

}
