/**
 * The coordinator core that TCC and sagas share: global transaction ids and context, the
 * coordinator log, the branch fence, argument encoding and recovery.
 */
@NullMarked
package io.dtx.core;

import org.jspecify.annotations.NullMarked;
