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
 * @param producer Extra properties of the Kafka producer of half messages and decisions,
 * over Spring Boot's spring.kafka.producer ones. acks=all and enable.idempotence=true are
 * always set.
 */
@ConfigurationProperties("dtx.messages")
public record DtxMessagesProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("dtx.messages.half") String halfTopic, @DefaultValue("10s") Duration sendTimeout,
		@DefaultValue Map<String, String> producer) {

}
