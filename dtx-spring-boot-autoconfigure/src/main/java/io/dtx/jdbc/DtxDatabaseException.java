package io.dtx.jdbc;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanWrapperImpl;
import org.springframework.core.NestedExceptionUtils;

/**
 * dtx could not reach the database of its tables, or not create or update them there, at
 * start-up. Spring Boot's "APPLICATION FAILED TO START" report shows the innermost cause
 * first (such as {@code FATAL: database "shop" does not exist}), then where dtx looked.
 */
public class DtxDatabaseException extends IllegalStateException {

	private final String summary;

	private final @Nullable String url;

	DtxDatabaseException(String summary, @Nullable String url, Throwable cause) {
		super(summary + ((url != null) ? " (" + url + ")" : "") + ": "
				+ NestedExceptionUtils.getMostSpecificCause(cause).getMessage(), cause);
		this.summary = summary;
		this.url = url;
	}

	/**
	 * What dtx was doing, without the cause: "dtx cannot reach the database of its tables".
	 */
	public String getSummary() {
		return this.summary;
	}

	/**
	 * The JDBC URL of the data source, where it tells.
	 */
	public @Nullable String getUrl() {
		return this.url;
	}

	/**
	 * The JDBC URL a pool was configured with (Hikari's {@code jdbcUrl}, the {@code url}
	 * of others), {@code null} where it has none to tell.
	 */
	static @Nullable String urlOf(DataSource dataSource) {
		BeanWrapperImpl bean = new BeanWrapperImpl(dataSource);
		for (String property : new String[] { "jdbcUrl", "url", "URL" }) {
			try {
				if (bean.isReadableProperty(property) && bean.getPropertyValue(property) instanceof String url) {
					return url;
				}
			}
			catch (RuntimeException ex) {
				// a getter that fails tells nothing
			}
		}
		return null;
	}

}
