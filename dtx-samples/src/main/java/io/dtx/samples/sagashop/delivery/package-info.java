/**
 * The delivery service of the saga shop: schedules a delivery as a saga step, cancels it
 * as its compensation.
 */
@NullMarked
package io.dtx.samples.sagashop.delivery;

import org.jspecify.annotations.NullMarked;
