package io.dtx.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Deletion of what finished long ago from the coordinator's tables (transactions,
 * fences, participants); the outbox's tables have retention settings of their own.
 *
 * <p>Bound under {@code dtx.retention}.
 */
@ConfigurationProperties("dtx.retention")
public class DtxRetentionProperties {

	/**
	 * Whether this instance deletes finished transactions, branches and participants
	 * once they are older than {@code keep}. Also the default of
	 * dtx.outbox.retention-enabled.
	 */
	private boolean enabled = true;

	/**
	 * How long finished rows are kept: long enough to look into what happened, and far
	 * longer than any transaction's timeout, since the mark an empty rollback leaves
	 * refuses a late try only while it exists.
	 */
	private Duration keep = Duration.ofDays(7);

	/**
	 * Time between two deletions.
	 */
	private Duration interval = Duration.ofHours(1);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getKeep() {
		return this.keep;
	}

	public void setKeep(Duration keep) {
		this.keep = keep;
	}

	public Duration getInterval() {
		return this.interval;
	}

	public void setInterval(Duration interval) {
		this.interval = interval;
	}

}
