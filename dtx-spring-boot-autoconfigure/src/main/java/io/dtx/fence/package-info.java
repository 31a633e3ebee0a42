/**
 * The branch fence (barrier): one row per branch that makes every first phase, confirm,
 * cancel and compensation safe against empty rollback, repetition and suspension, for
 * any mode. Imports the model and jdbc.
 */
@NullMarked
package io.dtx.fence;

import org.jspecify.annotations.NullMarked;
