/**
 * The delivery service of the transactional-message demo.
 */
@NullMarked
package io.dtx.samples.messageshop.delivery;

import org.jspecify.annotations.NullMarked;
