/**
 * The delivery service of the saga by commands.
 */
@NullMarked
package io.dtx.samples.commandshop.delivery;

import org.jspecify.annotations.NullMarked;
