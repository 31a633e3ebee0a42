package io.dtx.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Global transactions across services over HTTP.
 *
 * <p>Bound under {@code dtx.http}.
 *
 * @param secret Secret shared by the services of a global transaction, which signs their
 * phase-two requests (HMAC-SHA256). Without it, a call inside a global transaction fails
 * and the phase-two endpoints refuse every request.
 * @param basePath Path under which dtx serves its endpoints, the same in every service.
 * @param selfUrl Base URL at which the other services reach this one, sent to them as the
 * coordinator of the transactions started here. Defaults to http://host:port of the
 * running web server.
 * @param maxClockSkew How far the clock of a signing service may be off; a signature older
 * than this is refused.
 * @param connectTimeout Timeout to connect to a participant in phase two, and when an
 * operator's view of a transaction asks it for its branches.
 * @param readTimeout Timeout to wait for a participant's answer in phase two, and to its
 * report of its branches.
 * @param callThreads Threads of a pool of its own that calls participants in parallel in
 * phase two. Unset, these calls run on the phase-two threads
 * (dtx.recovery.phase-two-threads).
 */
@ConfigurationProperties("dtx.http")
public record DtxHttpProperties(@Nullable String secret, @DefaultValue("/dtx") String basePath,
		@Nullable String selfUrl, @DefaultValue("5m") Duration maxClockSkew, @DefaultValue("2s") Duration connectTimeout,
		@DefaultValue("10s") Duration readTimeout, @Nullable Integer callThreads) {

}
