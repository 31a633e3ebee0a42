/**
 * XA two-phase commit over several databases, coordinated by an embedded Atomikos
 * transaction manager.
 */
@NullMarked
package io.dtx.xa;

import org.jspecify.annotations.NullMarked;
