/**
 * The order service of the TCC shop: the initiator, which starts the global transaction,
 * calls the stock and payment services in it, and decides its outcome.
 */
@NullMarked
package io.dtx.samples.tccshop.order;

import org.jspecify.annotations.NullMarked;
