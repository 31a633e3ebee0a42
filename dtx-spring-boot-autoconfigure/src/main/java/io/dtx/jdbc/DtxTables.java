package io.dtx.jdbc;

import java.sql.Timestamp;
import java.time.Clock;
import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

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
	 * A JdbcTemplate over the tables' DataSource, for a store to keep.
	 */
	public JdbcTemplate jdbcTemplate() {
		return new JdbcTemplate(this.dataSource);
	}

	/**
	 * A JdbcTemplate that reads at most {@code maxRows} rows: a pass over a backlog takes
	 * one batch of it, however long the backlog is.
	 */
	public JdbcTemplate jdbcTemplate(int maxRows) {
		JdbcTemplate limited = jdbcTemplate();
		limited.setMaxRows(maxRows);
		return limited;
	}

	/**
	 * Now by the tables' clock, as their timestamp columns take it.
	 */
	public Timestamp now() {
		return Timestamp.from(this.clock.instant());
	}

}
