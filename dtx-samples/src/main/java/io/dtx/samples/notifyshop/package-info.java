/**
 * Best-effort notification between services: a payment service tells its merchants of
 * each payment through dtx's notifications; a merchant that was down gets it when it is
 * back, and a merchant that never got one fetches it through the payment service's query.
 */
@NullMarked
package io.dtx.samples.notifyshop;

import org.jspecify.annotations.NullMarked;
