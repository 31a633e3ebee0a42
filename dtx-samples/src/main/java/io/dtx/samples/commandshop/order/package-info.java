/**
 * The order service of the saga by commands: it defines the saga and runs its orchestrator.
 */
@NullMarked
package io.dtx.samples.commandshop.order;

import org.jspecify.annotations.NullMarked;
