package io.dtx.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The transactional outbox relayed to Kafka, and the inbox of its consumers.
 *
 * <p>Bound under {@code dtx.outbox}.
 *
 * @param enabled Whether the outbox, its relay and the inbox are set up (when Kafka is on
 * the class path).
 * @param relayEnabled Whether this instance relays the outbox to Kafka. Instances that
 * only publish may leave it to others; any number of instances may relay one outbox.
 * @param batchSize Most messages one read of the outbox takes, and most messages the relay
 * has on their way to the broker at once.
 * @param linger Least time between two reads of the outbox while earlier messages are on
 * their way to the broker. Longer saves statements under load, and adds up to as much to
 * the latency of a message.
 * @param pollInterval Time between two looks at the outbox when no commit wakes the relay:
 * the safety net for messages written by other instances that do not relay, or whose
 * wake-up was lost.
 * @param maxAttempts Failed attempts at a message before it is parked as dead. The later
 * messages of its key wait behind it until it is retried or discarded.
 * @param initialBackoff Delay before the second attempt at a message; it doubles with
 * every attempt.
 * @param maxBackoff Longest delay between two attempts at a message.
 * @param sendTimeout How long a send may wait for the broker, to fetch metadata and to
 * acknowledge; past it the attempt fails.
 * @param retentionEnabled Whether this instance deletes sent messages and old inbox
 * entries. Defaults to dtx.retention.enabled, which turned the outbox's retention off too
 * before the outbox had a key of its own.
 * @param keepSent How long a sent message stays in the outbox table before retention
 * deletes it.
 * @param keepReceived How long an inbox entry is kept. A message delivered again after its
 * entry is gone is applied again, so keep it well beyond any redelivery.
 * @param retentionInterval Time between two deletions of sent messages and old inbox
 * entries.
 * @param producer Extra properties of the relay's Kafka producer, over Spring Boot's
 * spring.kafka.producer ones. acks=all and enable.idempotence=true are always set.
 */
@ConfigurationProperties("dtx.outbox")
public record DtxOutboxProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean relayEnabled,
		@DefaultValue("500") int batchSize, @DefaultValue("5ms") Duration linger,
		@DefaultValue("1s") Duration pollInterval, @DefaultValue("20") int maxAttempts,
		@DefaultValue("1s") Duration initialBackoff, @DefaultValue("5m") Duration maxBackoff,
		@DefaultValue("30s") Duration sendTimeout, @Nullable Boolean retentionEnabled,
		@DefaultValue("1d") Duration keepSent, @DefaultValue("7d") Duration keepReceived,
		@DefaultValue("1h") Duration retentionInterval, @DefaultValue Map<String, String> producer) {

}
