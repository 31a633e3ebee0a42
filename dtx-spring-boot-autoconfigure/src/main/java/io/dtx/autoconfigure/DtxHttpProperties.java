package io.dtx.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Global transactions across services over HTTP.
 *
 * <p>Bound under {@code dtx.http}.
 */
@ConfigurationProperties("dtx.http")
public class DtxHttpProperties {

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

	/**
	 * Threads of a pool of its own that calls participants in parallel in phase two.
	 * Unset, these calls run on the phase-two threads (dtx.recovery.phase-two-threads).
	 */
	private @Nullable Integer callThreads;

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

	public @Nullable Integer getCallThreads() {
		return this.callThreads;
	}

	public void setCallThreads(@Nullable Integer callThreads) {
		this.callThreads = callThreads;
	}
}
