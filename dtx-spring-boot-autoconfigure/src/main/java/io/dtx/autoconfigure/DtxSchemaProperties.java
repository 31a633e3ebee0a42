package io.dtx.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * dtx's own tables, applied as Flyway migrations with a history table of their own.
 *
 * <p>Bound under {@code dtx.schema}.
 *
 * @param enabled Whether dtx applies its migrations at start-up. Turn it off when DDL is
 * run by hand; the SQL files in the jar under io/dtx/db/migration/{vendor} are then the
 * documentation.
 * @param tablePrefix Prefix of every dtx table, its schema history table included.
 * Letters, digits and underscores, starting with a letter.
 */
@ConfigurationProperties("dtx.schema")
public record DtxSchemaProperties(@DefaultValue("true") boolean enabled, @DefaultValue("dtx_") String tablePrefix) {

}
