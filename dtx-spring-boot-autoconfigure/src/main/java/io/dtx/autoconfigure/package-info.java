/**
 * Auto-configuration of dtx: wiring and properties only; the logic lives in the
 * capability packages.
 */
@NullMarked
package io.dtx.autoconfigure;

import org.jspecify.annotations.NullMarked;
