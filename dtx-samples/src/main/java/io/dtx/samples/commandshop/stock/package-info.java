/**
 * The stock service of the saga by commands.
 */
@NullMarked
package io.dtx.samples.commandshop.stock;

import org.jspecify.annotations.NullMarked;
