package io.dtx.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * XA two-phase commit over the data sources declared under
 * {@code dtx.xa.datasources}, coordinated by Atomikos.
 *
 * <p>Bound under {@code dtx.xa}.
 */
@ConfigurationProperties("dtx.xa")
public class DtxXaProperties {

	/**
	 * Whether dtx wires Atomikos when XA data sources are declared.
	 */
	private boolean enabled = true;

	/**
	 * Name of this instance's transaction manager, written into every XA transaction
	 * id. It must stay the same across restarts (recovery only finishes transactions
	 * that carry it) and differ between instances that share a database. At most 30
	 * characters. Defaults to spring.application.name (or "dtx") followed by a hash of
	 * the host name and the log directory.
	 */
	private @Nullable String transactionManagerId;

	/**
	 * Directory of the transaction log. It must survive a restart, or prepared
	 * transactions cannot be finished.
	 */
	private String logDir = "transaction-logs";

	/**
	 * Timeout of a transaction that declares none.
	 */
	private Duration defaultTimeout = Duration.ofSeconds(30);

	/**
	 * Longest timeout a transaction may declare.
	 */
	private Duration maxTimeout = Duration.ofMinutes(5);

	/**
	 * How often the log and the databases are scanned for transactions left
	 * unfinished, for instance by a crash.
	 */
	private Duration recoveryInterval = Duration.ofSeconds(10);

	/**
	 * Most transactions active at once; -1 for no limit.
	 */
	private int maxActiveTransactions = 200;

	/**
	 * The XA data sources, by bean name.
	 */
	private final Map<String, DataSource> datasources = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getTransactionManagerId() {
		return this.transactionManagerId;
	}

	public void setTransactionManagerId(@Nullable String transactionManagerId) {
		this.transactionManagerId = transactionManagerId;
	}

	public String getLogDir() {
		return this.logDir;
	}

	public void setLogDir(String logDir) {
		this.logDir = logDir;
	}

	public Duration getDefaultTimeout() {
		return this.defaultTimeout;
	}

	public void setDefaultTimeout(Duration defaultTimeout) {
		this.defaultTimeout = defaultTimeout;
	}

	public Duration getMaxTimeout() {
		return this.maxTimeout;
	}

	public void setMaxTimeout(Duration maxTimeout) {
		this.maxTimeout = maxTimeout;
	}

	public Duration getRecoveryInterval() {
		return this.recoveryInterval;
	}

	public void setRecoveryInterval(Duration recoveryInterval) {
		this.recoveryInterval = recoveryInterval;
	}

	public int getMaxActiveTransactions() {
		return this.maxActiveTransactions;
	}

	public void setMaxActiveTransactions(int maxActiveTransactions) {
		this.maxActiveTransactions = maxActiveTransactions;
	}

	public Map<String, DataSource> getDatasources() {
		return this.datasources;
	}

	/**
	 * One XA data source. It becomes a DataSource bean named after its key.
	 */
	public static class DataSource {

		/**
		 * JDBC URL. Its vendor (PostgreSQL, MariaDB, MySQL, H2) chooses the XA
		 * DataSource class unless one is given.
		 */
		private @Nullable String url;

		/**
		 * Login user of the database.
		 */
		private @Nullable String username;

		/**
		 * Login password of the database.
		 */
		private @Nullable String password;

		/**
		 * Fully qualified name of the driver's javax.sql.XADataSource, for a vendor
		 * dtx cannot infer from the URL.
		 */
		private @Nullable String xaDataSourceClassName;

		/**
		 * Whether this data source is the primary DataSource bean, the one injected
		 * where no qualifier is given.
		 */
		private boolean primary;

		/**
		 * Connections the pool keeps open at least.
		 */
		private int minPoolSize = 1;

		/**
		 * Connections the pool opens at most.
		 */
		private int maxPoolSize = 10;

		/**
		 * How long a caller waits for a free connection before failing.
		 */
		private Duration borrowConnectionTimeout = Duration.ofSeconds(30);

		/**
		 * How long an unused connection above the minimum stays open.
		 */
		private Duration maxIdleTime = Duration.ofMinutes(1);

		/**
		 * Extra properties set on the XA DataSource (bean properties of the driver's
		 * class, for instance sslMode).
		 */
		private final Map<String, String> properties = new LinkedHashMap<>();

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getXaDataSourceClassName() {
			return this.xaDataSourceClassName;
		}

		public void setXaDataSourceClassName(@Nullable String xaDataSourceClassName) {
			this.xaDataSourceClassName = xaDataSourceClassName;
		}

		public boolean isPrimary() {
			return this.primary;
		}

		public void setPrimary(boolean primary) {
			this.primary = primary;
		}

		public int getMinPoolSize() {
			return this.minPoolSize;
		}

		public void setMinPoolSize(int minPoolSize) {
			this.minPoolSize = minPoolSize;
		}

		public int getMaxPoolSize() {
			return this.maxPoolSize;
		}

		public void setMaxPoolSize(int maxPoolSize) {
			this.maxPoolSize = maxPoolSize;
		}

		public Duration getBorrowConnectionTimeout() {
			return this.borrowConnectionTimeout;
		}

		public void setBorrowConnectionTimeout(Duration borrowConnectionTimeout) {
			this.borrowConnectionTimeout = borrowConnectionTimeout;
		}

		public Duration getMaxIdleTime() {
			return this.maxIdleTime;
		}

		public void setMaxIdleTime(Duration maxIdleTime) {
			this.maxIdleTime = maxIdleTime;
		}

		public Map<String, String> getProperties() {
			return this.properties;
		}

	}

}
