package io.dtx.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of dtx, under the prefix {@code dtx}.
 */
@ConfigurationProperties("dtx")
public class DtxProperties {

	/**
	 * Whether dtx is enabled. When false, dtx creates no bean at all.
	 */
	private boolean enabled = true;

	/**
	 * Name of the DataSource bean that holds dtx's own tables (coordinator log, fences,
	 * outbox). Defaults to the only DataSource, or the primary one.
	 */
	private @Nullable String dataSource;

	/**
	 * Name of this instance among the instances of the service, used as the owner of the
	 * recovery leases it takes. Defaults to the host name, the process id and a random
	 * suffix.
	 */
	private @Nullable String instanceId;

	/**
	 * Whether dtx proves at start-up that the application's transaction manager holds a
	 * transaction on dtx's DataSource, and refuses to start when it does not (each
	 * statement would commit on its own). Turn it off only for a transaction manager that
	 * enlists connections in a way the check cannot see.
	 */
	private boolean verifyTransactionManager = true;

	private final Schema schema = new Schema();

	private final Xa xa = new Xa();

	private final Recovery recovery = new Recovery();

	private final Retention retention = new Retention();

	private final Tcc tcc = new Tcc();

	private final Saga saga = new Saga();

	private final Http http = new Http();

	private final Outbox outbox = new Outbox();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getDataSource() {
		return this.dataSource;
	}

	public void setDataSource(@Nullable String dataSource) {
		this.dataSource = dataSource;
	}

	public @Nullable String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(@Nullable String instanceId) {
		this.instanceId = instanceId;
	}

	public boolean isVerifyTransactionManager() {
		return this.verifyTransactionManager;
	}

	public void setVerifyTransactionManager(boolean verifyTransactionManager) {
		this.verifyTransactionManager = verifyTransactionManager;
	}

	public Schema getSchema() {
		return this.schema;
	}

	public Recovery getRecovery() {
		return this.recovery;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Tcc getTcc() {
		return this.tcc;
	}

	public Saga getSaga() {
		return this.saga;
	}

	public Http getHttp() {
		return this.http;
	}

	public Xa getXa() {
		return this.xa;
	}

	public Outbox getOutbox() {
		return this.outbox;
	}

	/**
	 * The transactional outbox relayed to Kafka, and the inbox of its consumers.
	 */
	public static class Outbox {

		/**
		 * Whether the outbox, its relay and the inbox are set up (when Kafka is on the
		 * class path).
		 */
		private boolean enabled = true;

		/**
		 * Whether this instance relays the outbox to Kafka. Instances that only publish
		 * may leave it to others; any number of instances may relay one outbox.
		 */
		private boolean relayEnabled = true;

		/**
		 * Most messages one read of the outbox takes, and most messages the relay has
		 * on their way to the broker at once.
		 */
		private int batchSize = 500;

		/**
		 * Least time between two reads of the outbox while earlier messages are on their
		 * way to the broker. Longer saves statements under load, and adds up to as much
		 * to the latency of a message.
		 */
		private Duration linger = Duration.ofMillis(5);

		/**
		 * Time between two looks at the outbox when no commit wakes the relay: the
		 * safety net for messages written by other instances that do not relay, or
		 * whose wake-up was lost.
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		/**
		 * Failed attempts at a message before it is parked as dead. The later messages
		 * of its key wait behind it until it is retried or discarded.
		 */
		private int maxAttempts = 20;

		/**
		 * Delay before the second attempt at a message; it doubles with every attempt.
		 */
		private Duration initialBackoff = Duration.ofSeconds(1);

		/**
		 * Longest delay between two attempts at a message.
		 */
		private Duration maxBackoff = Duration.ofMinutes(5);

		/**
		 * How long a send may wait for the broker, to fetch metadata and to
		 * acknowledge; past it the attempt fails.
		 */
		private Duration sendTimeout = Duration.ofSeconds(30);

		/**
		 * How long a sent message stays in the outbox table before retention deletes
		 * it.
		 */
		private Duration keepSent = Duration.ofDays(1);

		/**
		 * How long an inbox entry is kept. A message delivered again after its entry is
		 * gone is applied again, so keep it well beyond any redelivery.
		 */
		private Duration keepReceived = Duration.ofDays(7);

		/**
		 * Time between two deletions of sent messages and old inbox entries.
		 */
		private Duration retentionInterval = Duration.ofHours(1);

		/**
		 * Extra properties of the relay's Kafka producer, over Spring Boot's
		 * spring.kafka.producer ones. acks=all and enable.idempotence=true are always
		 * set.
		 */
		private final Map<String, String> producer = new LinkedHashMap<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isRelayEnabled() {
			return this.relayEnabled;
		}

		public void setRelayEnabled(boolean relayEnabled) {
			this.relayEnabled = relayEnabled;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getLinger() {
			return this.linger;
		}

		public void setLinger(Duration linger) {
			this.linger = linger;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

		public Duration getKeepSent() {
			return this.keepSent;
		}

		public void setKeepSent(Duration keepSent) {
			this.keepSent = keepSent;
		}

		public Duration getKeepReceived() {
			return this.keepReceived;
		}

		public void setKeepReceived(Duration keepReceived) {
			this.keepReceived = keepReceived;
		}

		public Duration getRetentionInterval() {
			return this.retentionInterval;
		}

		public void setRetentionInterval(Duration retentionInterval) {
			this.retentionInterval = retentionInterval;
		}

		public Map<String, String> getProducer() {
			return this.producer;
		}

	}

	/**
	 * dtx's own tables, applied as Flyway migrations with a history table of their own.
	 */
	public static class Schema {

		/**
		 * Whether dtx applies its migrations at start-up. Turn it off when DDL is run by
		 * hand; the SQL files in the jar under io/dtx/db/migration/{vendor} are then the
		 * documentation.
		 */
		private boolean enabled = true;

		/**
		 * Prefix of every dtx table, its schema history table included. Letters, digits
		 * and underscores, starting with a letter.
		 */
		private String tablePrefix = "dtx_";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getTablePrefix() {
			return this.tablePrefix;
		}

		public void setTablePrefix(String tablePrefix) {
			this.tablePrefix = tablePrefix;
		}

	}

	/**
	 * Recovery of global transactions (TCC, sagas) left unfinished by a crash, a timeout
	 * or a failing participant.
	 */
	public static class Recovery {

		/**
		 * Whether this instance looks for unfinished transactions and finishes them.
		 */
		private boolean enabled = true;

		/**
		 * Time between two looks for unfinished transactions.
		 */
		private Duration interval = Duration.ofSeconds(5);

		/**
		 * How long an instance holds a transaction it drives before another instance may
		 * take it over; also how long recovery leaves a freshly decided transaction to the
		 * thread that decided it.
		 */
		private Duration lease = Duration.ofSeconds(30);

		/**
		 * Delay before the second attempt at a failing transaction; it doubles with every
		 * attempt.
		 */
		private Duration initialBackoff = Duration.ofSeconds(1);

		/**
		 * Longest delay between two attempts at a failing transaction.
		 */
		private Duration maxBackoff = Duration.ofMinutes(5);

		/**
		 * Most transactions one look takes on.
		 */
		private int batchSize = 100;

		/**
		 * Threads that run phase two off the caller's thread: participants called in
		 * parallel, and asynchronous phase two.
		 */
		private int phaseTwoThreads = 8;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = lease;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = batchSize;
		}

		public int getPhaseTwoThreads() {
			return this.phaseTwoThreads;
		}

		public void setPhaseTwoThreads(int phaseTwoThreads) {
			this.phaseTwoThreads = phaseTwoThreads;
		}

	}

	/**
	 * Deletion of what finished long ago from dtx's tables.
	 */
	public static class Retention {

		/**
		 * Whether this instance deletes finished transactions, branches and participants
		 * once they are older than {@code keep}.
		 */
		private boolean enabled = true;

		/**
		 * How long finished rows are kept: long enough to look into what happened, and far
		 * longer than any transaction's timeout, since the mark an empty rollback leaves
		 * refuses a late try only while it exists.
		 */
		private Duration keep = Duration.ofDays(7);

		/**
		 * Time between two deletions.
		 */
		private Duration interval = Duration.ofHours(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getKeep() {
			return this.keep;
		}

		public void setKeep(Duration keep) {
			this.keep = keep;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

	/**
	 * Sagas: forward steps compensated in reverse when the saga fails.
	 */
	public static class Saga {

		/**
		 * Whether @Saga and @SagaStep methods are intercepted.
		 */
		private boolean enabled = true;

		/**
		 * Timeout of a @Saga that declares none; a saga still running then is
		 * compensated.
		 */
		private Duration defaultTimeout = Duration.ofSeconds(60);

		private final Compensation compensation = new Compensation();

		private final Step step = new Step();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getDefaultTimeout() {
			return this.defaultTimeout;
		}

		public void setDefaultTimeout(Duration defaultTimeout) {
			this.defaultTimeout = defaultTimeout;
		}

		public Compensation getCompensation() {
			return this.compensation;
		}

		public Step getStep() {
			return this.step;
		}

		/**
		 * Retries of compensations, made by recovery, on any instance.
		 */
		public static class Compensation {

			/**
			 * Attempts at compensating a saga before it is marked FAILED and left for an
			 * operator to retry (Sagas#retry).
			 */
			private int maxAttempts = 10;

			/**
			 * Delay before the second attempt; it doubles per attempt.
			 */
			private Duration initialBackoff = Duration.ofSeconds(1);

			/**
			 * Longest delay between two attempts.
			 */
			private Duration maxBackoff = Duration.ofMinutes(5);

			public int getMaxAttempts() {
				return this.maxAttempts;
			}

			public void setMaxAttempts(int maxAttempts) {
				this.maxAttempts = maxAttempts;
			}

			public Duration getInitialBackoff() {
				return this.initialBackoff;
			}

			public void setInitialBackoff(Duration initialBackoff) {
				this.initialBackoff = initialBackoff;
			}

			public Duration getMaxBackoff() {
				return this.maxBackoff;
			}

			public void setMaxBackoff(Duration maxBackoff) {
				this.maxBackoff = maxBackoff;
			}

		}

		/**
		 * Retries of forward steps, in the saga's own thread, for steps that declare no
		 * maxAttempts of their own.
		 */
		public static class Step {

			/**
			 * How many times a forward step runs at most before its failure reaches the
			 * saga; 1 runs it once.
			 */
			private int maxAttempts = 1;

			/**
			 * Delay before a step's second attempt; it doubles per attempt.
			 */
			private Duration backoff = Duration.ofMillis(100);

			/**
			 * Longest delay between two attempts of a step.
			 */
			private Duration maxBackoff = Duration.ofSeconds(2);

			public int getMaxAttempts() {
				return this.maxAttempts;
			}

			public void setMaxAttempts(int maxAttempts) {
				this.maxAttempts = maxAttempts;
			}

			public Duration getBackoff() {
				return this.backoff;
			}

			public void setBackoff(Duration backoff) {
				this.backoff = backoff;
			}

			public Duration getMaxBackoff() {
				return this.maxBackoff;
			}

			public void setMaxBackoff(Duration maxBackoff) {
				this.maxBackoff = maxBackoff;
			}

		}

	}

	/**
	 * TCC transactions.
	 */
	public static class Tcc {

		/**
		 * Whether @TccTransaction and @TccTry methods are intercepted.
		 */
		private boolean enabled = true;

		/**
		 * Timeout of a @TccTransaction that declares none.
		 */
		private Duration defaultTimeout = Duration.ofSeconds(30);

		/**
		 * Whether a @TccTransaction returns as soon as its decision is durable, phase two
		 * running on dtx's executor. Its effects are then visible a moment after the
		 * method returns; recovery finishes what a crash interrupts either way.
		 */
		private boolean asyncPhaseTwo;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getDefaultTimeout() {
			return this.defaultTimeout;
		}

		public void setDefaultTimeout(Duration defaultTimeout) {
			this.defaultTimeout = defaultTimeout;
		}

		public boolean isAsyncPhaseTwo() {
			return this.asyncPhaseTwo;
		}

		public void setAsyncPhaseTwo(boolean asyncPhaseTwo) {
			this.asyncPhaseTwo = asyncPhaseTwo;
		}

	}

	/**
	 * Global transactions across services over HTTP.
	 */
	public static class Http {

		/**
		 * Secret shared by the services of a global transaction, which signs their
		 * phase-two requests (HMAC-SHA256). Without it, a call inside a global
		 * transaction fails and the phase-two endpoints refuse every request.
		 */
		private @Nullable String secret;

		/**
		 * Path under which dtx serves its endpoints, the same in every service.
		 */
		private String basePath = "/dtx";

		/**
		 * Base URL at which the other services reach this one, sent to them as the
		 * coordinator of the transactions started here. Defaults to http://host:port of
		 * the running web server.
		 */
		private @Nullable String selfUrl;

		/**
		 * How far the clock of a signing service may be off; a signature older than this
		 * is refused.
		 */
		private Duration maxClockSkew = Duration.ofMinutes(5);

		/**
		 * Timeout to connect to a participant in phase two.
		 */
		private Duration connectTimeout = Duration.ofSeconds(2);

		/**
		 * Timeout to wait for a participant's answer in phase two.
		 */
		private Duration readTimeout = Duration.ofSeconds(10);


		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

		public String getBasePath() {
			return this.basePath;
		}

		public void setBasePath(String basePath) {
			this.basePath = basePath;
		}

		public @Nullable String getSelfUrl() {
			return this.selfUrl;
		}

		public void setSelfUrl(@Nullable String selfUrl) {
			this.selfUrl = selfUrl;
		}

		public Duration getMaxClockSkew() {
			return this.maxClockSkew;
		}

		public void setMaxClockSkew(Duration maxClockSkew) {
			this.maxClockSkew = maxClockSkew;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}


	}

	/**
	 * XA two-phase commit over the data sources declared under
	 * {@code dtx.xa.datasources}, coordinated by Atomikos.
	 */
	public static class Xa {

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

}
