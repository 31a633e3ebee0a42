/**
 * What depends on the database vendor: dtx's schema migrations, the vendor of a
 * DataSource, the insert that tolerates a duplicate key, what every store of dtx's tables
 * reads and writes with, and the periodic tasks that keep tables small. Imports only the
 * model.
 */
@NullMarked
package io.dtx.jdbc;

import org.jspecify.annotations.NullMarked;
