package io.dtx.autoconfigure;

import io.dtx.jdbc.DtxDatabaseException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.NestedExceptionUtils;

/**
 * Turns a {@link DtxDatabaseException} into Spring Boot's "APPLICATION FAILED TO START"
 * report with the innermost cause first (the driver's own words, such as {@code FATAL:
 * database "shop" does not exist}), then where dtx looked and what it was doing.
 */
class DtxDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<DtxDatabaseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DtxDatabaseException cause) {
		Throwable innermost = NestedExceptionUtils.getMostSpecificCause(cause);
		String description = innermost.getMessage() + "\n\n" + cause.getSummary()
				+ ((cause.getUrl() != null) ? " at " + cause.getUrl() : "") + " (" + innermost.getClass().getName()
				+ ").";
		String action = "Check the URL, user and password of the DataSource dtx keeps its tables in "
				+ "(spring.datasource.*, or the one dtx.data-source names), and that the database exists and "
				+ "accepts connections from this host.";
		return new FailureAnalysis(description, action, cause);
	}

}
