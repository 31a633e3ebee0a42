/**
 * The transactional outbox relayed to Kafka, and the inbox that makes a consumer apply
 * each message once: {@link io.dtx.outbox.Outbox} writes a message in the caller's
 * transaction, {@link io.dtx.outbox.OutboxRelay} sends it once that transaction commits,
 * in order per key, and {@link io.dtx.outbox.Inbox} drops what a consumer has seen.
 */
@NullMarked
package io.dtx.outbox;

import org.jspecify.annotations.NullMarked;
