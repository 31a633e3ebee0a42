/**
 * The stock service of the saga shop: takes items from stock as a saga step, puts them
 * back as its compensation.
 */
@NullMarked
package io.dtx.samples.sagashop.stock;

import org.jspecify.annotations.NullMarked;
