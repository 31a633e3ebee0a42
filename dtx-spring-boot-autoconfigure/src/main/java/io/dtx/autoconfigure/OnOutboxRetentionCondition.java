package io.dtx.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless the outbox's retention is turned off: by
 * {@code dtx.outbox.retention-enabled}, or, where that is not set, by
 * {@code dtx.retention.enabled}, which turned off the outbox's retention too before the
 * outbox had a key of its own.
 */
class OnOutboxRetentionCondition extends SpringBootCondition {

	static final String KEY = "dtx.outbox.retention-enabled";

	static final String FORMER_KEY = "dtx.retention.enabled";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		Boolean enabled = environment.getProperty(KEY, Boolean.class);
		String key = KEY;
		if (enabled == null) {
			enabled = environment.getProperty(FORMER_KEY, Boolean.class, true);
			key = FORMER_KEY;
		}
		return enabled ? ConditionOutcome.match("outbox retention on (" + key + ")")
				: ConditionOutcome.noMatch("outbox retention off (" + key + "=false)");
	}

}
