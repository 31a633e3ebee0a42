package io.dtx.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Deletion of what finished long ago from the coordinator's tables (transactions,
 * fences, participants); the outbox's tables have retention settings of their own.
 *
 * <p>Bound under {@code dtx.retention}.
 *
 * @param enabled Whether this instance deletes finished transactions, branches and
 * participants once they are older than {@code keep}. Also the default of
 * dtx.outbox.retention-enabled.
 * @param keep How long finished rows are kept: long enough to look into what happened,
 * and far longer than any transaction's timeout, since the mark an empty rollback leaves
 * refuses a late try only while it exists.
 * @param interval Time between two deletions.
 */
@ConfigurationProperties("dtx.retention")
public record DtxRetentionProperties(@DefaultValue("true") boolean enabled, @DefaultValue("7d") Duration keep,
		@DefaultValue("1h") Duration interval) {

}
