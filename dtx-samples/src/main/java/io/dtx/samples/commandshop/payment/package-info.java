/**
 * The payment service of the saga by commands.
 */
@NullMarked
package io.dtx.samples.commandshop.payment;

import org.jspecify.annotations.NullMarked;
