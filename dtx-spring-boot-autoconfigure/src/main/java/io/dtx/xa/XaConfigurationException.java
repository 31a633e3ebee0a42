package io.dtx.xa;

/**
 * An XA data source that cannot work as configured; thrown at start-up, before the first
 * transaction would have failed.
 */
public class XaConfigurationException extends RuntimeException {

	private final String dataSourceName;

	private final String description;

	private final String action;

	public XaConfigurationException(String dataSourceName, String description, String action) {
		this(dataSourceName, description, action, null);
	}

	XaConfigurationException(String dataSourceName, String description, String action,
			@org.jspecify.annotations.Nullable Throwable cause) {
		super("XA data source '" + dataSourceName + "': " + description + " " + action, cause);
		this.dataSourceName = dataSourceName;
		this.description = "XA data source '" + dataSourceName + "': " + description;
		this.action = action;
	}

	/**
	 * The name of the data source, its key under {@code dtx.xa.datasources}.
	 */
	public String getDataSourceName() {
		return this.dataSourceName;
	}

	/**
	 * What is wrong, naming the data source.
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * What the user should do about it.
	 */
	public String getAction() {
		return this.action;
	}

}
