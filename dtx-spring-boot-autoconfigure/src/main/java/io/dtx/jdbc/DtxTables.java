package io.dtx.jdbc;

import java.time.Clock;
import javax.sql.DataSource;

/**
 * Where dtx's tables live, resolved once for every store that reads and writes them: the
 * coordinator's log, the fence, the outbox and the inbox.
 *
 * @param dataSource the DataSource that holds them
 * @param tablePrefix the prefix of their names
 * @param clock the clock of their timestamps
 * @param vendor the database, which chooses every statement that differs between vendors
 */
public record DtxTables(DataSource dataSource, String tablePrefix, Clock clock, DatabaseVendor vendor) {

	/**
	 * The tables in the given DataSource, its vendor read from its metadata.
	 */
	public static DtxTables of(DataSource dataSource, String tablePrefix, Clock clock) {
		return new DtxTables(dataSource, tablePrefix, clock, DatabaseVendor.of(dataSource));
	}

	/**
	 * The full name of one of dtx's tables.
	 */
	public String name(String table) {
		return this.tablePrefix + table;
	}

	/**
	 * Where the tables are, for people: {@code dtx_* in PostgreSQL (jdbc:postgresql://db/shop)}.
	 */
	public String describe() {
		String url = DtxDatabaseException.urlOf(this.dataSource);
		if (url != null) {
			// a password in the URL stays out of the log
			url = url.replaceAll("(?i)(password=)[^&;]*", "$1****");
		}
		return this.tablePrefix + "* in " + this.vendor.displayName() + ((url != null) ? " (" + url + ")" : "");
	}

}
