/**
 * The XA benchmark: the same two updates, in PostgreSQL and in MariaDB, through dtx,
 * through hand-wired Atomikos, and as two local transactions, measured in one run.
 */
@NullMarked
package io.dtx.samples.bench;

import org.jspecify.annotations.NullMarked;
