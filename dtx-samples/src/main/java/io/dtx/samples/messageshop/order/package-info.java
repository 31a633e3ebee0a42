/**
 * The order service of the transactional-message demo.
 */
@NullMarked
package io.dtx.samples.messageshop.order;

import org.jspecify.annotations.NullMarked;
