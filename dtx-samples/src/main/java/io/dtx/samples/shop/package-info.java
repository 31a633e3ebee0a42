/**
 * The shop demo: orders and stock in two databases, kept in step by one XA transaction.
 */
@NullMarked
package io.dtx.samples.shop;

import org.jspecify.annotations.NullMarked;
