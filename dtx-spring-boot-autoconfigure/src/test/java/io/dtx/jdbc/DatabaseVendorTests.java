package io.dtx.jdbc;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The vendor chosen by the JDBC product name, and the SQL it holds that differs between
 * databases.
 */
class DatabaseVendorTests {

	@Test
	void vendorIsChosenByTheProductNamesDriversReport() {
		assertThat(DatabaseVendor.fromProductName("PostgreSQL")).isEqualTo(DatabaseVendor.POSTGRESQL);
		assertThat(DatabaseVendor.fromProductName("MySQL")).isEqualTo(DatabaseVendor.MYSQL);
		assertThat(DatabaseVendor.fromProductName("MariaDB")).isEqualTo(DatabaseVendor.MYSQL);
		assertThat(DatabaseVendor.fromProductName("H2")).isEqualTo(DatabaseVendor.H2);
	}

	@Test
	void productNamesMatchWhateverTheirCase() {
		assertThat(DatabaseVendor.fromProductName("postgresql")).isEqualTo(DatabaseVendor.POSTGRESQL);
		assertThat(DatabaseVendor.fromProductName("MARIADB")).isEqualTo(DatabaseVendor.MYSQL);
		assertThat(DatabaseVendor.fromProductName("h2")).isEqualTo(DatabaseVendor.H2);
	}

	@Test
	void unknownDatabaseFailsSayingWhatToDo() {
		assertThatIllegalStateException().isThrownBy(() -> DatabaseVendor.fromProductName("Oracle"))
			.withMessageContaining("dtx has no schema for Oracle")
			.withMessageContaining("PostgreSQL, MySQL/MariaDB and H2")
			.withMessageContaining("io/dtx/db/migration")
			.withMessageContaining("dtx.schema.enabled=false");
	}

	@Test
	void aNameThatOnlyContainsAKnownOneIsNotTakenForIt() {
		assertThatIllegalStateException().isThrownBy(() -> DatabaseVendor.fromProductName("EnterpriseDB PostgreSQL"));
	}

	@Test
	void vendorIsReadFromADataSource() {
		DriverManagerDataSource h2 = new DriverManagerDataSource("jdbc:h2:mem:vendor-" + UUID.randomUUID(), "sa", "");
		assertThat(DatabaseVendor.of(h2)).isEqualTo(DatabaseVendor.H2);
	}

	@Test
	void unreachableDataSourceFailsSayingSo() {
		DriverManagerDataSource nowhere = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none", "x", "");
		assertThatIllegalStateException().isThrownBy(() -> DatabaseVendor.of(nowhere))
			.isInstanceOf(DtxDatabaseException.class)
			.withMessageStartingWith("dtx cannot reach the database of its tables (jdbc:postgresql://127.0.0.1:1/none)");
	}

	@Test
	void eachVendorHasItsMigrationFolder() {
		assertThat(DatabaseVendor.POSTGRESQL.migrationFolder()).isEqualTo("postgresql");
		assertThat(DatabaseVendor.MYSQL.migrationFolder()).isEqualTo("mysql");
		assertThat(DatabaseVendor.H2.migrationFolder()).isEqualTo("h2");
		for (DatabaseVendor vendor : DatabaseVendor.values()) {
			assertThat(getClass().getClassLoader()
				.getResource("io/dtx/db/migration/" + vendor.migrationFolder() + "/V1__global_transaction.sql"))
				.as(vendor + "'s migrations ship in the jar")
				.isNotNull();
		}
	}

	@Test
	void shareLockClauses() {
		assertThat(DatabaseVendor.POSTGRESQL.shareLock()).isEqualTo("for share");
		assertThat(DatabaseVendor.MYSQL.shareLock()).isEqualTo("lock in share mode");
		// H2 has no shared row lock: an exclusive one holds writers off as well
		assertThat(DatabaseVendor.H2.shareLock()).isEqualTo("for update");
	}

	@Test
	void postgresqlInsertIfAbsentDoesNothingOnConflict() {
		assertThat(DatabaseVendor.POSTGRESQL.insertIfAbsent("dtx_branch_fence", "xid, branch_id", "?, ?"))
			.isEqualTo("insert into dtx_branch_fence (xid, branch_id) values (?, ?) on conflict do nothing");
	}

	@Test
	void mysqlInsertIfAbsentIgnoresTheDuplicate() {
		assertThat(DatabaseVendor.MYSQL.insertIfAbsent("dtx_branch_fence", "xid, branch_id", "?, ?"))
			.isEqualTo("insert ignore into dtx_branch_fence (xid, branch_id) values (?, ?)");
	}

	@Test
	void h2HasNoInsertIfAbsentStatement() {
		// a plain insert whose duplicate-key error is caught: H2 keeps the transaction going
		assertThat(DatabaseVendor.H2.insertIfAbsent("dtx_branch_fence", "xid, branch_id", "?, ?")).isNull();
	}

}
