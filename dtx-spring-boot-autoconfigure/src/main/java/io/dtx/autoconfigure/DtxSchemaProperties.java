package io.dtx.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * dtx's own tables, applied as Flyway migrations with a history table of their own.
 *
 * <p>Bound under {@code dtx.schema}.
 */
@ConfigurationProperties("dtx.schema")
public class DtxSchemaProperties {

	/**
	 * Whether dtx applies its migrations at start-up. Turn it off when DDL is run by
	 * hand; the SQL files in the jar under io/dtx/db/migration/{vendor} are then the
	 * documentation.
	 */
	private boolean enabled = true;

	/**
	 * Prefix of every dtx table, its schema history table included. Letters, digits
	 * and underscores, starting with a letter.
	 */
	private String tablePrefix = "dtx_";

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getTablePrefix() {
		return this.tablePrefix;
	}

	public void setTablePrefix(String tablePrefix) {
		this.tablePrefix = tablePrefix;
	}

}
