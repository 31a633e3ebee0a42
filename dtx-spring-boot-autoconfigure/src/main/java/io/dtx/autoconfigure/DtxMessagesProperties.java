package io.dtx.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Transactional messages with check-back on Kafka.
 *
 * <p>Bound under {@code dtx.messages}.
 *
 * @param enabled Whether transactional messages are set up (when Kafka is on the class
 * path): the TransactionalMessages bean, the barrier and, in a servlet web application,
 * the signed check-back endpoint.
 * @param halfTopic Topic of the half messages and their decisions. Every service that
 * sends transactional messages, and the resolver, use the same one.
 * @param sendTimeout How long a half message may take to be acknowledged by Kafka
 * (metadata included); past it the send fails and the local transaction does not run.
 * @param producer Extra properties of the Kafka producers of half messages, decisions and
 * deliveries, over Spring Boot's spring.kafka.producer ones. acks=all and
 * enable.idempotence=true are always set.
 * @param retentionEnabled Whether this instance deletes old barriers.
 * @param keepBarriers How long a message's barrier is kept. It answers the check-backs of its
 * message: keep it well beyond check-after plus max-checks check-backs.
 * @param retentionInterval Time between two deletions of old barriers.
 * @param resolver The resolver, which delivers committed messages.
 */
@ConfigurationProperties("dtx.messages")
public record DtxMessagesProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("dtx.messages.half") String halfTopic, @DefaultValue("10s") Duration sendTimeout,
		@DefaultValue Map<String, String> producer, @DefaultValue("true") boolean retentionEnabled,
		@DefaultValue("7d") Duration keepBarriers, @DefaultValue("1h") Duration retentionInterval,
		@DefaultValue Resolver resolver) {

	/**
	 * The resolver.
	 *
	 * @param enabled Whether this instance resolves half messages: delivers committed ones,
	 * drops rolled-back ones, and checks back on those without a decision. Any number of
	 * instances share the work as one consumer group.
	 * @param groupId Consumer group of the resolvers.
	 * @param checkAfter How long a half message waits for its decision before its producer is
	 * asked through the signed check-back.
	 * @param initialBackoff Delay before the second check-back of a message, and before the
	 * resolver starts again after a failure; it doubles each time.
	 * @param maxBackoff Longest such delay.
	 * @param pollTimeout Longest wait for half messages in one poll.
	 * @param maxChecks Failed check-backs of a message before it is parked, to be retried
	 * through the operations endpoint (parked-messages).
	 * @param consumer Extra properties of the resolver's Kafka consumer, over Spring Boot's
	 * spring.kafka.consumer ones. isolation.level=read_committed and
	 * enable.auto.commit=false are always set.
	 */
	public record Resolver(@DefaultValue("true") boolean enabled,
			@DefaultValue("dtx-messages-resolver") String groupId, @DefaultValue("30s") Duration checkAfter,
			@DefaultValue("1s") Duration initialBackoff, @DefaultValue("1m") Duration maxBackoff,
			@DefaultValue("200ms") Duration pollTimeout, @DefaultValue("20") int maxChecks,
			@DefaultValue Map<String, String> consumer) {

	}

}
