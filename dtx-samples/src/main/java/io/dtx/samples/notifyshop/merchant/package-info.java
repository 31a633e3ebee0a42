/**
 * A merchant of the notification demo: receives the payment service's notifications.
 */
@NullMarked
package io.dtx.samples.notifyshop.merchant;

import org.jspecify.annotations.NullMarked;
