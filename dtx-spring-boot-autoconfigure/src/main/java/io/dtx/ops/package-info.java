/**
 * Operating dtx: the Actuator endpoint {@code dtx} (global transactions and what each
 * mode parks for an operator, with the operator's retries and cancels), the health
 * contributor {@code dtx} and the gauges of in-flight, stuck, failed and dead work. Each
 * mode contributes what it parks as a {@link io.dtx.ops.ParkedWork} bean.
 */
@NullMarked
package io.dtx.ops;

import org.jspecify.annotations.NullMarked;
