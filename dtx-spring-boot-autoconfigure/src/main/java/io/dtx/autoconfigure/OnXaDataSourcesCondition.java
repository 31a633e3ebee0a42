package io.dtx.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when at least one data source is declared under {@code dtx.xa.datasources}:
 * declaring one is how an application asks for XA.
 */
class OnXaDataSourcesCondition extends SpringBootCondition {

	static final String PREFIX = "dtx.xa.datasources";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> declared = Binder.get(context.getEnvironment())
			.bind(PREFIX, Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		return declared.isEmpty() ? ConditionOutcome.noMatch("no data source under " + PREFIX)
				: ConditionOutcome.match("XA data sources " + declared.keySet() + " under " + PREFIX);
	}

}
