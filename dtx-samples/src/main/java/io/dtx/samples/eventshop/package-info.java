/**
 * The shop as a saga by events (choreography): order, payment, stock and delivery
 * services, each with its own database, publish through dtx's outbox and consume
 * through its inbox; no service calls another, no one orchestrates.
 */
@NullMarked
package io.dtx.samples.eventshop;

import org.jspecify.annotations.NullMarked;
