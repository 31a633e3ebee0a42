/**
 * The saga shop: an order placed as a saga that the order service orchestrates over the
 * payment, stock and delivery services, each a Spring Boot application of its own.
 */
@NullMarked
package io.dtx.samples.sagashop;

import org.jspecify.annotations.NullMarked;
