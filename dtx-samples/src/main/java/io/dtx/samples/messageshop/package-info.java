/**
 * The transactional-message part of the shop demo: an order service that announces each
 * order it places with a transactional message, and a delivery service that ships what it
 * hears of and runs dtx's resolver.
 */
@NullMarked
package io.dtx.samples.messageshop;

import org.jspecify.annotations.NullMarked;
