package io.dtx.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The keys of dtx as a whole, directly under {@code dtx}: the switch of all of dtx, and
 * where its tables live. Each capability has a properties record of its own
 * ({@link DtxSchemaProperties}, {@link DtxCoordinatorProperties},
 * {@link DtxRecoveryProperties}, {@link DtxRetentionProperties}, {@link DtxTccProperties},
 * {@link DtxSagaProperties}, {@link DtxHttpProperties}, {@link DtxOutboxProperties},
 * {@link DtxXaProperties}), bound by the auto-configurations that need it.
 *
 * @param enabled Whether dtx is enabled. When false, dtx creates no bean at all.
 * @param dataSource Name of the DataSource bean that holds dtx's own tables (coordinator
 * log, fences, outbox). Defaults to the only DataSource, or the primary one.
 * @param instanceId Name of this instance among the instances of the service, used as the
 * owner of the recovery leases it takes. Defaults to the host name, the process id and a
 * random suffix.
 * @param verifyTransactionManager Whether dtx proves at start-up that the application's
 * transaction manager holds a transaction on dtx's DataSource, and refuses to start when it
 * does not (each statement would commit on its own). Turn it off only for a transaction
 * manager that enlists connections in a way the check cannot see.
 */
@ConfigurationProperties("dtx")
public record DtxProperties(@DefaultValue("true") boolean enabled, @Nullable String dataSource, String instanceId,
		@DefaultValue("true") boolean verifyTransactionManager) {

	/**
	 * Names this instance where {@code dtx.instance-id} does not (the binder passes null):
	 * once per binding, so once per application context, and so two contexts in one JVM
	 * hold their leases under two names.
	 */
	public DtxProperties {
		instanceId = (instanceId != null) ? instanceId : DtxInstance.defaultId();
	}

}
