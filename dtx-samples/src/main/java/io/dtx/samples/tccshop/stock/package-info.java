/**
 * The stock service of the TCC shop: a participant that reserves items in a try and
 * takes or releases them in phase two.
 */
@NullMarked
package io.dtx.samples.tccshop.stock;

import org.jspecify.annotations.NullMarked;
