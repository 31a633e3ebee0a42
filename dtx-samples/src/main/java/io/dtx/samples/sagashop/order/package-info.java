/**
 * The order service of the saga shop: the orchestrator, whose saga creates the order, then
 * charges, reserves and schedules a delivery in the other services.
 */
@NullMarked
package io.dtx.samples.sagashop.order;

import org.jspecify.annotations.NullMarked;
