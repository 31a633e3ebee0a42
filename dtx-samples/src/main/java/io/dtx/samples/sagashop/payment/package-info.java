/**
 * The payment service of the saga shop: charges a customer as a saga step, refunds the
 * charge as its compensation.
 */
@NullMarked
package io.dtx.samples.sagashop.payment;

import org.jspecify.annotations.NullMarked;
