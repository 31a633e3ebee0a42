package io.dtx.xa;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.XAConnection;

import com.atomikos.jdbc.AtomikosDataSourceBean;
import com.atomikos.jdbc.internal.AtomikosSQLException;
import org.jspecify.annotations.Nullable;

/**
 * An Atomikos pooled XA data source that checks its server before it takes a first
 * connection, and holds a resource name unique in this JVM while it is open.
 */
public class DtxXaDataSource extends AtomikosDataSourceBean {

	private final String name;

	private final String url;

	private final @Nullable XaVendor vendor;

	private volatile boolean open;

	DtxXaDataSource(String name, String url, @Nullable XaVendor vendor) {
		this.name = name;
		this.url = url;
		this.vendor = vendor;
	}

	public String getUrl() {
		return this.url;
	}

	// Atomikos calls init() under a lock on every getConnection(): check once, then skip.
	@Override
	public void init() throws AtomikosSQLException {
		if (this.open) {
			return;
		}
		synchronized (this) {
			if (this.open) {
				return;
			}
			verifyServer();
			if (getUniqueResourceName() == null) {
				setUniqueResourceName(AtomikosTransactionService.reserveResourceName(this.name));
			}
			try {
				super.init();
			}
			catch (AtomikosSQLException | RuntimeException ex) {
				releaseResourceName();
				throw ex;
			}
			this.open = true;
		}
	}

	@Override
	public void close() {
		synchronized (this) {
			super.close();
			releaseResourceName();
			this.open = false;
		}
	}

	private void releaseResourceName() {
		String resourceName = getUniqueResourceName();
		if (resourceName != null) {
			AtomikosTransactionService.releaseResourceName(resourceName);
			setUniqueResourceName(null);
		}
	}

	private void verifyServer() {
		XAConnection xaConnection = null;
		try {
			xaConnection = getXaDataSource().getXAConnection();
			try (Connection connection = xaConnection.getConnection()) {
				if (this.vendor != null) {
					this.vendor.verify(this.name, this.url, connection);
				}
			}
		}
		catch (SQLException ex) {
			throw new XaConfigurationException(this.name, "cannot connect to " + this.url + ": " + ex.getMessage(),
					"Check the url, username and password of the data source, and that its server is running.", ex);
		}
		finally {
			if (xaConnection != null) {
				try {
					xaConnection.close();
				}
				catch (SQLException ex) {
					// the check is done; a failing close changes nothing for the pool
				}
			}
		}
	}

	@Override
	public String toString() {
		return "DtxXaDataSource[" + this.name + " " + this.url + "]";
	}

}
