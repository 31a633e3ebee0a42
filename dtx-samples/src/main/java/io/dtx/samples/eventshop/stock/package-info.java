/**
 * The stock service of the saga by events.
 */
@NullMarked
package io.dtx.samples.eventshop.stock;

import org.jspecify.annotations.NullMarked;
