package io.dtx.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The keys of dtx as a whole, directly under {@code dtx}: the switch of all of dtx, and
 * where its tables live. Each capability has a properties class of its own
 * ({@link DtxSchemaProperties}, {@link DtxCoordinatorProperties},
 * {@link DtxRecoveryProperties}, {@link DtxRetentionProperties}, {@link DtxTccProperties},
 * {@link DtxSagaProperties}, {@link DtxHttpProperties}, {@link DtxOutboxProperties},
 * {@link DtxXaProperties}), bound by the auto-configurations that need it.
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

}
