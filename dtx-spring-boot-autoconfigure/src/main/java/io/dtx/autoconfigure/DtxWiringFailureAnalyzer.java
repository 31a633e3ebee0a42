package io.dtx.autoconfigure;

import io.dtx.core.DtxWiringException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link DtxWiringException}, wherever it is in the cause chain, into Spring
 * Boot's "APPLICATION FAILED TO START" report: what is wrong, naming the bean and the
 * method, and what to change.
 */
class DtxWiringFailureAnalyzer extends AbstractFailureAnalyzer<DtxWiringException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DtxWiringException cause) {
		return new FailureAnalysis(cause.getDescription(), cause.getAction(), cause);
	}

}
