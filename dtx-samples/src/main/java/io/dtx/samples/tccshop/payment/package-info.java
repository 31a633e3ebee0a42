/**
 * The payment service of the TCC shop: a participant that freezes funds in a try and
 * charges or unfreezes them in phase two.
 */
@NullMarked
package io.dtx.samples.tccshop.payment;

import org.jspecify.annotations.NullMarked;
