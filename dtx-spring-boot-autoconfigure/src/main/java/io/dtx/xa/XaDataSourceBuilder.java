package io.dtx.xa;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.XADataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeansException;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Builds a {@link DtxXaDataSource}: the driver's XA DataSource, chosen from the JDBC URL
 * unless named, inside an Atomikos connection pool. Every mistake is reported as an
 * {@link XaConfigurationException} naming the data source.
 */
public final class XaDataSourceBuilder {

	private final String name;

	private @Nullable String url;

	private @Nullable String username;

	private @Nullable String password;

	private @Nullable String xaDataSourceClassName;

	private final Map<String, String> properties = new LinkedHashMap<>();

	private int minPoolSize = 1;

	private int maxPoolSize = 10;

	private Duration borrowConnectionTimeout = Duration.ofSeconds(30);

	private Duration maxIdleTime = Duration.ofMinutes(1);

	private @Nullable ClassLoader classLoader;

	private XaDataSourceBuilder(String name) {
		this.name = name;
	}

	/**
	 * A builder for the data source of the given name.
	 */
	public static XaDataSourceBuilder named(String name) {
		return new XaDataSourceBuilder(name);
	}

	public XaDataSourceBuilder url(@Nullable String url) {
		this.url = url;
		return this;
	}

	public XaDataSourceBuilder username(@Nullable String username) {
		this.username = username;
		return this;
	}

	public XaDataSourceBuilder password(@Nullable String password) {
		this.password = password;
		return this;
	}

	public XaDataSourceBuilder xaDataSourceClassName(@Nullable String xaDataSourceClassName) {
		this.xaDataSourceClassName = xaDataSourceClassName;
		return this;
	}

	public XaDataSourceBuilder properties(Map<String, String> properties) {
		this.properties.putAll(properties);
		return this;
	}

	public XaDataSourceBuilder minPoolSize(int minPoolSize) {
		this.minPoolSize = minPoolSize;
		return this;
	}

	public XaDataSourceBuilder maxPoolSize(int maxPoolSize) {
		this.maxPoolSize = maxPoolSize;
		return this;
	}

	public XaDataSourceBuilder borrowConnectionTimeout(Duration borrowConnectionTimeout) {
		this.borrowConnectionTimeout = borrowConnectionTimeout;
		return this;
	}

	public XaDataSourceBuilder maxIdleTime(Duration maxIdleTime) {
		this.maxIdleTime = maxIdleTime;
		return this;
	}

	public XaDataSourceBuilder classLoader(@Nullable ClassLoader classLoader) {
		this.classLoader = classLoader;
		return this;
	}

	/**
	 * Builds the data source, not yet opened: the server is checked and the pool filled
	 * by {@link DtxXaDataSource#init()}.
	 */
	public DtxXaDataSource build() {
		AtomikosConsole.initializeLogging();
		String jdbcUrl = requireJdbcUrl();
		XaVendor vendor = XaVendor.fromUrl(jdbcUrl);
		if (vendor != null) {
			jdbcUrl = vendor.prepareUrl(jdbcUrl);
		}
		XADataSource xaDataSource = instantiate(xaDataSourceClass(jdbcUrl, vendor));
		BeanWrapper driver = PropertyAccessorFactory.forBeanPropertyAccess(xaDataSource);
		setProperty(driver, urlProperty(driver), jdbcUrl);
		if (this.username != null) {
			setProperty(driver, "user", this.username);
		}
		if (this.password != null) {
			setProperty(driver, "password", this.password);
		}
		this.properties.forEach((property, value) -> setProperty(driver, property, value));

		DtxXaDataSource dataSource = new DtxXaDataSource(this.name, jdbcUrl, vendor);
		dataSource.setXaDataSource(xaDataSource);
		dataSource.setMinPoolSize(this.minPoolSize);
		dataSource.setMaxPoolSize(this.maxPoolSize);
		dataSource.setBorrowConnectionTimeout(seconds(this.borrowConnectionTimeout));
		dataSource.setMaxIdleTime(seconds(this.maxIdleTime));
		// connections also serve code outside any JTA transaction (migrations, plain reads)
		dataSource.setLocalTransactionMode(true);
		return dataSource;
	}

	private String requireJdbcUrl() {
		if (!StringUtils.hasText(this.url)) {
			throw new XaConfigurationException(this.name, "has no url.",
					"Set dtx.xa.datasources." + this.name + ".url to the JDBC URL of its database.");
		}
		if (!this.url.startsWith("jdbc:") || this.url.indexOf(':', 5) < 0) {
			throw new XaConfigurationException(this.name, "'" + this.url + "' is not a JDBC URL.",
					"Use a URL of the form jdbc:<vendor>://<host>:<port>/<database>, "
							+ "for instance jdbc:postgresql://localhost:5432/orders.");
		}
		return this.url;
	}

	private Class<?> xaDataSourceClass(String jdbcUrl, @Nullable XaVendor vendor) {
		String className = StringUtils.hasText(this.xaDataSourceClassName) ? this.xaDataSourceClassName
				: (vendor != null) ? vendor.xaDataSourceClassName() : null;
		if (className == null) {
			throw new XaConfigurationException(this.name,
					"dtx cannot tell which XA DataSource class serves " + jdbcUrl
							+ " (it knows PostgreSQL, MariaDB, MySQL and H2).",
					"Set dtx.xa.datasources." + this.name
							+ ".xa-data-source-class-name to the javax.sql.XADataSource class of the JDBC driver.");
		}
		Class<?> type;
		try {
			type = ClassUtils.forName(className, this.classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new XaConfigurationException(this.name, "the XA DataSource class " + className
					+ " is not on the classpath.", "Add the JDBC driver that provides it to the application's dependencies.",
					ex);
		}
		if (!XADataSource.class.isAssignableFrom(type)) {
			throw new XaConfigurationException(this.name, className + " is not a javax.sql.XADataSource.",
					"Name the driver's XADataSource class in dtx.xa.datasources." + this.name
							+ ".xa-data-source-class-name.");
		}
		return type;
	}

	private XADataSource instantiate(Class<?> type) {
		try {
			return (XADataSource) BeanUtils.instantiateClass(type);
		}
		catch (BeansException ex) {
			throw new XaConfigurationException(this.name, "cannot create " + type.getName() + ": " + ex.getMessage(),
					"Check the JDBC driver's version.", ex);
		}
	}

	// drivers differ in what they call the JDBC URL; every driver dtx infers from the URL
	// takes it as "url"
	private String urlProperty(BeanWrapper driver) {
		for (String candidate : new String[] { "url", "URL", "jdbcUrl" }) {
			if (driver.isWritableProperty(candidate)) {
				return candidate;
			}
		}
		throw new XaConfigurationException(this.name,
				driver.getWrappedClass().getName() + " has no url property to take " + this.url + ".",
				"Leave the url out and pass what the driver needs under dtx.xa.datasources." + this.name + ".properties.");
	}

	private void setProperty(BeanWrapper driver, String property, String value) {
		try {
			driver.setPropertyValue(property, value);
		}
		catch (BeansException ex) {
			throw new XaConfigurationException(this.name,
					"cannot set '" + property + "' on " + driver.getWrappedClass().getName() + ": "
							+ ex.getMostSpecificCause().getMessage(),
					"Each key under dtx.xa.datasources." + this.name
							+ ".properties must be a writable property of that class.",
					ex);
		}
	}

	private static int seconds(Duration duration) {
		return (int) Math.max(1, duration.toSeconds());
	}

}
