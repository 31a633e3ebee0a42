package io.dtx.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XA two-phase commit over the data sources declared under
 * {@code dtx.xa.datasources}, coordinated by Atomikos.
 *
 * <p>Bound under {@code dtx.xa}.
 *
 * @param enabled Whether dtx wires Atomikos when XA data sources are declared.
 * @param transactionManagerId Name of this instance's transaction manager, written into
 * every XA transaction id. It must stay the same across restarts (recovery only finishes
 * transactions that carry it) and differ between instances that share a database. At most
 * 30 characters. Defaults to spring.application.name (or "dtx") followed by a hash of the
 * host name and the log directory.
 * @param logDir Directory of the transaction log. It must survive a restart, or prepared
 * transactions cannot be finished.
 * @param defaultTimeout Timeout of a transaction that declares none.
 * @param maxTimeout Longest timeout a transaction may declare.
 * @param recoveryInterval How often the log and the databases are scanned for
 * transactions left unfinished, for instance by a crash.
 * @param maxActiveTransactions Most transactions active at once; -1 for no limit.
 * @param datasources The XA data sources, by bean name.
 */
@ConfigurationProperties("dtx.xa")
public record DtxXaProperties(@DefaultValue("true") boolean enabled, @Nullable String transactionManagerId,
		@DefaultValue("transaction-logs") String logDir, @DefaultValue("30s") Duration defaultTimeout,
		@DefaultValue("5m") Duration maxTimeout, @DefaultValue("10s") Duration recoveryInterval,
		@DefaultValue("200") int maxActiveTransactions, @DefaultValue Map<String, DataSource> datasources) {

	/**
	 * One XA data source. It becomes a DataSource bean named after its key. Spring Boot's
	 * processor writes no metadata for the values of a map: the descriptions of these keys
	 * are also in additional-spring-configuration-metadata.json.
	 *
	 * @param url JDBC URL. Its vendor (PostgreSQL, MariaDB, MySQL, H2) chooses the XA
	 * DataSource class unless one is given.
	 * @param username Login user of the database.
	 * @param password Login password of the database.
	 * @param xaDataSourceClassName Fully qualified name of the driver's
	 * javax.sql.XADataSource, for a vendor dtx cannot infer from the URL.
	 * @param primary Whether this data source is the primary DataSource bean, the one
	 * injected where no qualifier is given.
	 * @param minPoolSize Connections the pool keeps open at least.
	 * @param maxPoolSize Connections the pool opens at most.
	 * @param borrowConnectionTimeout How long a caller waits for a free connection before
	 * failing.
	 * @param maxIdleTime How long an unused connection above the minimum stays open.
	 * @param properties Extra properties set on the XA DataSource (bean properties of the
	 * driver's class, for instance sslMode).
	 */
	public record DataSource(@Nullable String url, @Nullable String username, @Nullable String password,
			@Nullable String xaDataSourceClassName, @DefaultValue("false") boolean primary,
			@DefaultValue("1") int minPoolSize, @DefaultValue("10") int maxPoolSize,
			@DefaultValue("30s") Duration borrowConnectionTimeout, @DefaultValue("1m") Duration maxIdleTime,
			@DefaultValue Map<String, String> properties) {

	}

}
