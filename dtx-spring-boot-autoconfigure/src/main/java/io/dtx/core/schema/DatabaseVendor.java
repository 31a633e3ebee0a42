package io.dtx.core.schema;

import java.util.List;

/**
 * The databases dtx ships migrations for, chosen by the JDBC product name.
 */
enum DatabaseVendor {

	POSTGRESQL("postgresql", "PostgreSQL"),

	MYSQL("mysql", "MySQL", "MariaDB"),

	H2("h2", "H2");

	private final String folder;

	private final List<String> productNames;

	DatabaseVendor(String folder, String... productNames) {
		this.folder = folder;
		this.productNames = List.of(productNames);
	}

	/**
	 * The folder under {@code io/dtx/db/migration} that holds this vendor's migrations.
	 */
	String folder() {
		return this.folder;
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
