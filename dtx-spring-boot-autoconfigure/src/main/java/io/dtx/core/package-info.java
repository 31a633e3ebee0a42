/**
 * The model every package shares: a global transaction as its thread sees it, its
 * context, ids and states, the headers that carry it, the participants it called, and
 * the backoff of retries. It imports nothing else of dtx.
 */
@NullMarked
package io.dtx.core;

import org.jspecify.annotations.NullMarked;
