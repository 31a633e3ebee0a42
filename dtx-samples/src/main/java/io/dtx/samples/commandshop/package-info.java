/**
 * The shop as a saga by commands: an order service whose durable orchestrator sends the
 * payment, stock and delivery services one command after another over Kafka, each service
 * with its own database, through dtx's outbox and inbox.
 */
@NullMarked
package io.dtx.samples.commandshop;

import org.jspecify.annotations.NullMarked;
