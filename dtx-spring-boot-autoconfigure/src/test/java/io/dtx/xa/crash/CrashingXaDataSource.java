package io.dtx.xa.crash;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import javax.sql.ConnectionEventListener;
import javax.sql.StatementEventListener;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;

/**
 * A driver's XA DataSource whose branches stop at a crash point: when the XA call named
 * by the system property {@value #CRASH_POINT_PROPERTY} ({@code prepare} or
 * {@code commit}) is reached, the call prints {@value #MARKER} to stdout and blocks
 * forever, before the driver sees it, so that the test can kill the JVM exactly there.
 * Every other call goes to the driver unchanged. With {@value #FIRST_CONNECTION_DELAY_PROPERTY}
 * set, the first connection comes late, as from a server slow to answer at start-up.
 */
public abstract class CrashingXaDataSource implements XADataSource {

	/**
	 * The system property that names the XA call to stop at.
	 */
	public static final String CRASH_POINT_PROPERTY = "dtx.crash.point";

	/**
	 * The line printed when the crash point is reached.
	 */
	public static final String MARKER = "CRASH-POINT reached";

	/**
	 * The system property that delays the first connection of this data source by so
	 * many milliseconds: a database that comes up slowly when the application starts.
	 */
	public static final String FIRST_CONNECTION_DELAY_PROPERTY = "dtx.crash.first-connection-delay";

	private final XADataSource driver;

	private final BeanWrapper driverProperties;

	private String url;

	private String user;

	private String password;

	private final AtomicBoolean connected = new AtomicBoolean();

	protected CrashingXaDataSource(XADataSource driver) {
		this.driver = driver;
		this.driverProperties = PropertyAccessorFactory.forBeanPropertyAccess(driver);
	}

	public String getUrl() {
		return this.url;
	}

	public void setUrl(String url) {
		this.driverProperties.setPropertyValue("url", url);
		this.url = url;
	}

	public String getUser() {
		return this.user;
	}

	public void setUser(String user) {
		this.driverProperties.setPropertyValue("user", user);
		this.user = user;
	}

	public String getPassword() {
		return this.password;
	}

	public void setPassword(String password) {
		this.driverProperties.setPropertyValue("password", password);
		this.password = password;
	}

	@Override
	public XAConnection getXAConnection() throws SQLException {
		delayFirstConnection();
		return new CrashingXaConnection(this.driver.getXAConnection());
	}

	@Override
	public XAConnection getXAConnection(String user, String password) throws SQLException {
		delayFirstConnection();
		return new CrashingXaConnection(this.driver.getXAConnection(user, password));
	}

	private void delayFirstConnection() {
		long delay = Long.getLong(FIRST_CONNECTION_DELAY_PROPERTY, 0);
		if (delay > 0 && this.connected.compareAndSet(false, true)) {
			System.out.println("XA " + getClass().getSimpleName() + " first connection delayed by " + delay + " ms");
			try {
				Thread.sleep(delay);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while delaying the first connection", ex);
			}
		}
	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.driver.getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.driver.setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.driver.setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.driver.getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return this.driver.getParentLogger();
	}

	private void reached(String call) {
		String label = getClass().getSimpleName() + " " + call;
		System.out.println("XA " + label);
		if (call.equals(System.getProperty(CRASH_POINT_PROPERTY, "").toLowerCase(Locale.ROOT))) {
			System.out.println(MARKER + " in " + label);
			System.out.flush();
			// the test kills this JVM now; nothing may reach the driver before
			try {
				new CountDownLatch(1).await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted at the crash point", ex);
			}
		}
	}

	private final class CrashingXaConnection implements XAConnection {

		private final XAConnection connection;

		CrashingXaConnection(XAConnection connection) {
			this.connection = connection;
		}

		@Override
		public XAResource getXAResource() throws SQLException {
			return new CrashingXaResource(this.connection.getXAResource());
		}

		@Override
		public java.sql.Connection getConnection() throws SQLException {
			return this.connection.getConnection();
		}

		@Override
		public void close() throws SQLException {
			this.connection.close();
		}

		@Override
		public void addConnectionEventListener(ConnectionEventListener listener) {
			this.connection.addConnectionEventListener(listener);
		}

		@Override
		public void removeConnectionEventListener(ConnectionEventListener listener) {
			this.connection.removeConnectionEventListener(listener);
		}

		@Override
		public void addStatementEventListener(StatementEventListener listener) {
			this.connection.addStatementEventListener(listener);
		}

		@Override
		public void removeStatementEventListener(StatementEventListener listener) {
			this.connection.removeStatementEventListener(listener);
		}

	}

	private final class CrashingXaResource implements XAResource {

		private final XAResource resource;

		CrashingXaResource(XAResource resource) {
			this.resource = resource;
		}

		@Override
		public int prepare(Xid xid) throws XAException {
			reached("prepare");
			return this.resource.prepare(xid);
		}

		@Override
		public void commit(Xid xid, boolean onePhase) throws XAException {
			reached("commit");
			this.resource.commit(xid, onePhase);
		}

		@Override
		public void rollback(Xid xid) throws XAException {
			reached("rollback");
			this.resource.rollback(xid);
		}

		@Override
		public void start(Xid xid, int flags) throws XAException {
			this.resource.start(xid, flags);
		}

		@Override
		public void end(Xid xid, int flags) throws XAException {
			this.resource.end(xid, flags);
		}

		@Override
		public void forget(Xid xid) throws XAException {
			this.resource.forget(xid);
		}

		@Override
		public Xid[] recover(int flag) throws XAException {
			return this.resource.recover(flag);
		}

		// the driver compares its own classes: hand it the resource this one wraps
		@Override
		public boolean isSameRM(XAResource other) throws XAException {
			return this.resource.isSameRM((other instanceof CrashingXaResource crashing) ? crashing.resource : other);
		}

		@Override
		public int getTransactionTimeout() throws XAException {
			return this.resource.getTransactionTimeout();
		}

		@Override
		public boolean setTransactionTimeout(int seconds) throws XAException {
			return this.resource.setTransactionTimeout(seconds);
		}

	}

}
