package io.dtx.jdbc;

import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;

import org.springframework.beans.factory.InitializingBean;

/**
 * Applies dtx's migrations to the application's database at start-up. They keep their
 * own history table ({@code <prefix>schema_history}), so the application's own Flyway
 * migrations, with theirs, never see dtx's and the other way round.
 */
public class DtxSchema implements InitializingBean {

	/**
	 * Where the migrations live, one folder per vendor below it.
	 */
	public static final String LOCATION = "classpath:io/dtx/db/migration/";

	private static final Pattern VALID_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,29}");

	private final DataSource dataSource;

	private final String tablePrefix;

	public DtxSchema(DataSource dataSource, String tablePrefix) {
		if (!VALID_PREFIX.matcher(tablePrefix).matches()) {
			throw new IllegalArgumentException("dtx.schema.table-prefix '" + tablePrefix
					+ "' must start with a letter and hold at most 30 letters, digits and underscores");
		}
		this.dataSource = dataSource;
		this.tablePrefix = tablePrefix;
	}

	String getTablePrefix() {
		return this.tablePrefix;
	}

	/**
	 * The name of the history table of dtx's migrations.
	 */
	String getHistoryTable() {
		return this.tablePrefix + "schema_history";
	}

	@Override
	public void afterPropertiesSet() {
		try {
			migrate();
		}
		catch (FlywayException ex) {
			throw new DtxDatabaseException("dtx cannot create or update its tables",
					DtxDatabaseException.urlOf(this.dataSource), ex);
		}
	}

	/**
	 * Applies the migrations that are not applied yet.
	 */
	public MigrateResult migrate() {
		return flyway().migrate();
	}

	/**
	 * dtx's migrations, applied and pending.
	 */
	MigrationInfoService info() {
		return flyway().info();
	}

	private Flyway flyway() {
		DatabaseVendor vendor = DatabaseVendor.of(this.dataSource);
		return Flyway.configure(getClass().getClassLoader())
			.dataSource(this.dataSource)
			.locations(LOCATION + vendor.migrationFolder())
			.table(getHistoryTable())
			.placeholders(Map.of("prefix", this.tablePrefix))
			// the application's tables are already there: start dtx's history below its V1
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.createSchemas(false)
			.load();
	}

}
