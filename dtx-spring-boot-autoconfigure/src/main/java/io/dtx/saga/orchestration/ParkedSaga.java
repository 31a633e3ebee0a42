package io.dtx.saga.orchestration;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A saga whose compensation ran out of attempts and that waits for an operator, who retries
 * it once the cause is mended ({@link SagaOrchestrator#retry}) or gives it up
 * ({@link SagaOrchestrator#abandon}).
 *
 * @param sagaId the saga's id
 * @param saga the saga's name
 * @param step the step whose compensation failed
 * @param lastError why it failed the last time
 * @param failedAt when it was FAILED
 */
public record ParkedSaga(String sagaId, String saga, String step, @Nullable String lastError, Instant failedAt) {

}
