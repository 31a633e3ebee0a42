package io.dtx.jdbc;

import java.sql.DatabaseMetaData;
import java.util.List;
import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

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

		@Override
		public String relaxCommit() {
			return "set local synchronous_commit to off";
		}

	},

	// Not a plain insert with its duplicate-key error caught, although InnoDB would undo only
	// that statement: MariaDB's driver logs every error packet at WARN, and every cancel enters
	// the fence through a duplicate key. INSERT IGNORE also turns other errors into warnings (a
	// null in a NOT NULL column is stored as ''); dtx passes none (MariaDbInsertIfAbsentTests)
	MYSQL("mysql", "lock in share mode", "MySQL", "MariaDB") {

		@Override
		public String insertIfAbsent(String table, String columns, String values) {
			return "insert ignore into " + table + " (" + columns + ") values (" + values + ")";
		}

	},

	// H2 keeps its transaction going after a duplicate key: a plain insert, its error caught
	H2("h2", "for update", "H2") {

		// H2 waits for a locked row where the others skip it: a second outbox relay on H2 queues up
		@Override
		public String skipLocked() {
			return "";
		}

	};

	private final String migrationFolder;

	private final String shareLock;

	private final List<String> productNames;

	DatabaseVendor(String migrationFolder, String shareLock, String... productNames) {
		this.migrationFolder = migrationFolder;
		this.shareLock = shareLock;
		this.productNames = List.of(productNames);
	}

	/**
	 * The database's name for people: "PostgreSQL", "MySQL/MariaDB", "H2".
	 */
	public String displayName() {
		return String.join("/", this.productNames);
	}

	/**
	 * The folder under {@code io/dtx/db/migration} that holds this vendor's migrations.
	 */
	String migrationFolder() {
		return this.migrationFolder;
	}

	/**
	 * The clause that makes a select wait for, and then hold off, writers of its rows.
	 */
	public String shareLock() {
		return this.shareLock;
	}

	/**
	 * What follows {@code for update} for a select that passes over rows another
	 * transaction locked instead of waiting for them.
	 */
	public String skipLocked() {
		return " skip locked";
	}

	/**
	 * A statement that lets the current local transaction commit without waiting for its
	 * log to reach the disk, where the vendor has one; for writes that a crash may lose
	 * because they are repeated (the outbox's marks of sent messages).
	 */
	public @Nullable String relaxCommit() {
		return null;
	}

	/**
	 * An insert that, when the key exists, changes nothing and counts no row, instead of
	 * failing; or {@code null} where a plain insert's duplicate-key error is harmless.
	 */
	@Nullable String insertIfAbsent(String table, String columns, String values) {
		return null;
	}

	static DatabaseVendor of(DataSource dataSource) {
		String productName;
		try {
			productName = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		}
		catch (MetaDataAccessException ex) {
			throw new DtxDatabaseException("dtx cannot reach the database of its tables",
					DtxDatabaseException.urlOf(dataSource), ex);
		}
		return fromProductName(productName);
	}

	static DatabaseVendor fromProductName(String productName) {
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
