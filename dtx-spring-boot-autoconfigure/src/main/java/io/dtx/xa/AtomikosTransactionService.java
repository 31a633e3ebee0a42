package io.dtx.xa;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

import com.atomikos.icatch.config.UserTransactionServiceImp;
import com.atomikos.icatch.provider.ConfigProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Atomikos's transaction service, which exists once per JVM, shared by every application
 * context of that JVM: the first context to start it configures it, the last to stop
 * shuts it down. Resource names, which Atomikos also keeps JVM-wide, are handed out here
 * so that two contexts declaring the same data source do not clash.
 * <p>
 * A context starts it only once all its XA data sources are registered with Atomikos,
 * and stops it while they still are (DtxXaAutoConfiguration makes it depend on them):
 * Atomikos forgets a logged commit decision after any recovery scan that succeeds on the
 * resources registered at that moment, so a scan missing one would leave that resource's
 * prepared branch without its decision, and recovery would roll it back.
 */
public final class AtomikosTransactionService implements InitializingBean, DisposableBean {

	private static final Log logger = LogFactory.getLog(AtomikosTransactionService.class);

	private static final Object lock = new Object();

	private static final Set<String> resourceNames = new HashSet<>();

	private static int users;

	private static @Nullable UserTransactionServiceImp running;

	private static @Nullable String runningTransactionManagerId;

	private final String transactionManagerId;

	private final Properties properties = new Properties();

	private boolean acquired;

	public AtomikosTransactionService(String transactionManagerId, Path logDir, Duration defaultTimeout,
			Duration maxTimeout, Duration recoveryInterval, int maxActiveTransactions) {
		this.transactionManagerId = TransactionManagerIds.validate(transactionManagerId);
		this.properties.setProperty(ConfigProperties.TM_UNIQUE_NAME_PROPERTY_NAME, transactionManagerId);
		this.properties.setProperty(ConfigProperties.LOG_BASE_DIR_PROPERTY_NAME, logDir.toAbsolutePath().toString());
		this.properties.setProperty(ConfigProperties.LOG_BASE_NAME_PROPERTY_NAME, "dtx-xa");
		this.properties.setProperty("com.atomikos.icatch.default_jta_timeout", millis(defaultTimeout));
		this.properties.setProperty(ConfigProperties.MAX_TIMEOUT_PROPERTY_NAME, millis(maxTimeout));
		this.properties.setProperty(ConfigProperties.RECOVERY_DELAY_PROPERTY_NAME, millis(recoveryInterval));
		this.properties.setProperty(ConfigProperties.MAX_ACTIVES_PROPERTY_NAME, Integer.toString(maxActiveTransactions));
		this.properties.setProperty(ConfigProperties.ENABLE_LOGGING_PROPERTY_NAME, "true");
		this.properties.setProperty(ConfigProperties.FORCE_SHUTDOWN_ON_VM_EXIT_PROPERTY_NAME, "false");
	}

	public String getTransactionManagerId() {
		return this.transactionManagerId;
	}

	@Override
	public void afterPropertiesSet() {
		synchronized (lock) {
			if (running == null) {
				AtomikosConsole.initializeLogging();
				UserTransactionServiceImp service = new UserTransactionServiceImp(this.properties);
				AtomikosConsole.quietly(service::init);
				running = service;
				runningTransactionManagerId = this.transactionManagerId;
			}
			else if (!this.transactionManagerId.equals(runningTransactionManagerId)) {
				logger.warn("Atomikos already runs in this JVM as '" + runningTransactionManagerId
						+ "'; transaction manager id '" + this.transactionManagerId
						+ "' and its settings are ignored until every context using it has closed");
			}
			users++;
			this.acquired = true;
		}
	}

	@Override
	public void destroy() {
		synchronized (lock) {
			if (!this.acquired) {
				return;
			}
			this.acquired = false;
			if (--users == 0 && running != null) {
				running.shutdown(false);
				running = null;
				runningTransactionManagerId = null;
			}
		}
	}

	/**
	 * Reserves the Atomikos resource name for a data source: its own name, or, when
	 * another context of this JVM holds that, the name with the first free suffix.
	 * Recovery matches log records to resources by this name, so the first holder always
	 * gets the plain name and keeps it across restarts.
	 */
	static String reserveResourceName(String name) {
		synchronized (lock) {
			String candidate = name;
			for (int suffix = 2; !resourceNames.add(candidate); suffix++) {
				candidate = name + "-" + suffix;
			}
			return candidate;
		}
	}

	static void releaseResourceName(String resourceName) {
		synchronized (lock) {
			resourceNames.remove(resourceName);
		}
	}

	private static String millis(Duration duration) {
		return Long.toString(duration.toMillis());
	}

}
