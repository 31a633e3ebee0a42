/**
 * dtx's own tables, shipped as Flyway migrations per database vendor and applied with a
 * history table of their own.
 */
@NullMarked
package io.dtx.core.schema;

import org.jspecify.annotations.NullMarked;
