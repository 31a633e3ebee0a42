package io.dtx.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The coordinator that TCC and sagas share: its log, its fences, its participants,
 * recovery and retention of its tables.
 *
 * <p>Bound under {@code dtx.coordinator}.
 *
 * @param enabled Whether the coordinator is set up. Turn it off in a service that only
 * uses the outbox: it then has no coordinator, TCC or saga bean, runs no recovery and
 * never reads or writes the coordinator's tables.
 */
@ConfigurationProperties("dtx.coordinator")
public record DtxCoordinatorProperties(@DefaultValue("true") boolean enabled) {

}
