/**
 * Transactional messages with check-back on Kafka: a half message written to Kafka before
 * the local transaction, a barrier row in it, a decision after it, and the signed
 * check-back through which the resolver learns the outcome where no decision came.
 */
@NullMarked
package io.dtx.message;

import org.jspecify.annotations.NullMarked;
