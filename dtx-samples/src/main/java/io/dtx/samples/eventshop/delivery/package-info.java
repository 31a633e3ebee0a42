/**
 * The delivery service of the saga by events.
 */
@NullMarked
package io.dtx.samples.eventshop.delivery;

import org.jspecify.annotations.NullMarked;
