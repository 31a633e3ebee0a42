package io.dtx.xa;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The databases whose XA DataSource class dtx infers from the JDBC URL, with what each
 * needs before it can take part in a two-phase commit.
 */
enum XaVendor {

	POSTGRESQL("jdbc:postgresql:", "org.postgresql.xa.PGXADataSource") {

		@Override
		void verify(String dataSourceName, String url, Connection connection) throws SQLException {
			int maxPrepared;
			try (Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("SHOW max_prepared_transactions")) {
				result.next();
				maxPrepared = Integer.parseInt(result.getString(1));
			}
			if (maxPrepared <= 0) {
				throw new XaConfigurationException(dataSourceName,
						"PostgreSQL at " + url + " has max_prepared_transactions = " + maxPrepared
								+ ", so it refuses to prepare any XA transaction: every commit would fail.",
						"Allow prepared transactions on that server, at least as many as its max_connections, "
								+ "for instance with \"ALTER SYSTEM SET max_prepared_transactions = 100;\" "
								+ "(or max_prepared_transactions = 100 in postgresql.conf), then restart PostgreSQL.");
			}
		}

	},

	MARIADB("jdbc:mariadb:", "org.mariadb.jdbc.MariaDbDataSource") {

		@Override
		String prepareUrl(String url) {
			return pinnedToPhysicalConnection(url);
		}

	},

	MYSQL("jdbc:mysql:", "com.mysql.cj.jdbc.MysqlXADataSource") {

		@Override
		String prepareUrl(String url) {
			return pinnedToPhysicalConnection(url);
		}

	},

	H2("jdbc:h2:", "org.h2.jdbcx.JdbcDataSource");

	private final String urlPrefix;

	private final String xaDataSourceClassName;

	XaVendor(String urlPrefix, String xaDataSourceClassName) {
		this.urlPrefix = urlPrefix;
		this.xaDataSourceClassName = xaDataSourceClassName;
	}

	String xaDataSourceClassName() {
		return this.xaDataSourceClassName;
	}

	/**
	 * The URL with whatever the vendor's driver needs for XA added to it.
	 */
	String prepareUrl(String url) {
		return url;
	}

	/**
	 * Checks, over a live connection, that the server can take part in XA transactions.
	 */
	void verify(String dataSourceName, String url, Connection connection) throws SQLException {
	}

	static @Nullable XaVendor fromUrl(String url) {
		String lower = url.toLowerCase(Locale.ROOT);
		for (XaVendor vendor : values()) {
			if (lower.startsWith(vendor.urlPrefix)) {
				return vendor;
			}
		}
		return null;
	}

	// Without pinning, the driver may run one XA branch over two physical connections,
	// which MariaDB and MySQL refuse at XA END.
	private static String pinnedToPhysicalConnection(String url) {
		return withParameter(url, "pinGlobalTxToPhysicalConnection", "true");
	}

	private static String withParameter(String url, String name, String value) {
		if (url.toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT) + "=")) {
			return url;
		}
		return url + (url.contains("?") ? "&" : "?") + name + "=" + value;
	}

}
