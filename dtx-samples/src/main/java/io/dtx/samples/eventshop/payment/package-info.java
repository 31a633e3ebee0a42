/**
 * The payment service of the saga by events.
 */
@NullMarked
package io.dtx.samples.eventshop.payment;

import org.jspecify.annotations.NullMarked;
