/**
 * The payment service of the notification demo.
 */
@NullMarked
package io.dtx.samples.notifyshop.payment;

import org.jspecify.annotations.NullMarked;
