package io.dtx.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sagas by commands: definitions built with {@code SagaDefinition}'s DSL, driven by the
 * orchestrator over Kafka, and the participants' {@code @SagaCommandHandler} methods.
 *
 * <p>Bound under {@code dtx.saga.orchestration}.
 *
 * @param enabled Whether the SagaDefinition beans are checked and run, and the
 * @SagaCommandHandler methods listened for.
 * @param replyChannel Topic the orchestrator's participants reply to, shared by its
 * instances; by default spring.application.name followed by ".saga-replies".
 */
@ConfigurationProperties("dtx.saga.orchestration")
public record DtxSagaOrchestrationProperties(@DefaultValue("true") boolean enabled, @Nullable String replyChannel) {

}
