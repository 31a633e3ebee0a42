package io.dtx.xa;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link XaConfigurationException} into Spring Boot's "APPLICATION FAILED TO
 * START" report, naming the data source and what to change.
 */
class XaConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<XaConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, XaConfigurationException cause) {
		return new FailureAnalysis(cause.getDescription(), cause.getAction(), cause);
	}

}
