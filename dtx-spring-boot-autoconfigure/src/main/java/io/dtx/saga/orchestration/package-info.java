/**
 * Sagas by commands: a saga defined once as a {@link io.dtx.saga.orchestration.SagaDefinition}
 * of named steps, each a command to a participant's channel and its compensation, or a
 * local step, driven by a durable orchestrator.
 */
@NullMarked
package io.dtx.saga.orchestration;

import org.jspecify.annotations.NullMarked;
