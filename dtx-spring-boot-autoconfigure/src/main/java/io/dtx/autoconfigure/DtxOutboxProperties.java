package io.dtx.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The transactional outbox relayed to Kafka, and the inbox of its consumers.
 *
 * <p>Bound under {@code dtx.outbox}.
 */
@ConfigurationProperties("dtx.outbox")
public class DtxOutboxProperties {

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
	 * Whether this instance deletes sent messages and old inbox entries. Defaults to
	 * dtx.retention.enabled, which turned the outbox's retention off too before the
	 * outbox had a key of its own.
	 */
	private @Nullable Boolean retentionEnabled;

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

	public @Nullable Boolean getRetentionEnabled() {
		return this.retentionEnabled;
	}

	public void setRetentionEnabled(@Nullable Boolean retentionEnabled) {
		this.retentionEnabled = retentionEnabled;
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
