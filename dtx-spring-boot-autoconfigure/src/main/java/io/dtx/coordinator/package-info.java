/**
 * The coordinator every mode shares: the log of global transactions and of the
 * services they called, the mode SPI ({@link io.dtx.coordinator.TransactionMode}) that
 * recovery, in-doubt resolution and the phase-two endpoint dispatch over, retention, and
 * the advice that begins and ends a transaction. Imports the model, jdbc and the fence;
 * never a mode.
 */
@NullMarked
package io.dtx.coordinator;

import org.jspecify.annotations.NullMarked;
