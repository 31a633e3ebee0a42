/**
 * The order service of the saga by events.
 */
@NullMarked
package io.dtx.samples.eventshop.order;

import org.jspecify.annotations.NullMarked;
