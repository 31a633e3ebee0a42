/**
 * Sagas orchestrated by a method: forward steps that commit one by one, compensated in
 * reverse when the saga fails.
 */
@NullMarked
package io.dtx.saga;

import org.jspecify.annotations.NullMarked;
