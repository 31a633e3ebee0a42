package io.dtx.jdbc;

import java.sql.DatabaseMetaData;
import java.util.List;
import javax.sql.DataSource;

import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The databases dtx keeps its tables in, chosen by the JDBC product name, with the SQL
 * that differs between them.
 */
public enum DatabaseVendor {

	POSTGRESQL("postgresql", "for share", "PostgreSQL") {

		@Override
		public String insertIfAbsent(String table, String columns, String values) {
			return "insert into " + table + " (" + columns + ") values (" + values + ") on conflict do nothing";
		}

	},

	MYSQL("mysql", "lock in share mode", "MySQL", "MariaDB") {

		@Override
		public String insertIfAbsent(String table, String columns, String values) {
			return "insert ignore into " + table + " (" + columns + ") values (" + values + ")";
		}

	},

	// H2 keeps its transaction going after a duplicate key: a plain insert, its error caught
	H2("h2", "for update", "H2");

	private final String migrationFolder;

	private final String shareLock;

	private final List<String> productNames;

	DatabaseVendor(String migrationFolder, String shareLock, String... productNames) {
		this.migrationFolder = migrationFolder;
		this.shareLock = shareLock;
		this.productNames = List.of(productNames);
	}

	/**
	 * The folder under {@code io/dtx/db/migration} that holds this vendor's migrations.
	 */
	public String migrationFolder() {
		return this.migrationFolder;
	}

	/**
	 * The clause that makes a select wait for, and then hold off, writers of its rows.
	 */
	public String shareLock() {
		return this.shareLock;
	}

	/**
	 * An insert that, when the key exists, changes nothing and counts no row, instead of
	 * failing; or {@code null} where a plain insert's duplicate-key error is harmless.
	 */
	public String insertIfAbsent(String table, String columns, String values) {
		return null;
	}

	public static DatabaseVendor of(DataSource dataSource) {
		String productName;
		try {
			productName = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("dtx cannot read which database holds its tables: " + ex.getMessage(), ex);
		}
		return fromProductName(productName);
	}

	public static DatabaseVendor fromProductName(String productName) {
		for (DatabaseVendor vendor : values()) {
			if (vendor.productNames.stream().anyMatch(productName::equalsIgnoreCase)) {
				return vendor;
			}
		}
		throw new IllegalStateException("dtx has no schema for " + productName
				+ " (it ships PostgreSQL, MySQL/MariaDB and H2): create its tables yourself from the SQL under "
				+ "io/dtx/db/migration in the dtx jar and set dtx.schema.enabled=false");
	}

}
