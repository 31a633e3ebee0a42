package io.dtx.test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A connection that breaks at the commit of one chosen local transaction, as a network or
 * a server can break it. A test arms a fault for the transaction that runs a statement
 * (its SQL containing a fragment, one of its bound parameters equal to a value, such as a
 * global transaction id); the fault fires at that transaction's {@code commit()}, once:
 * <ul>
 * <li>{@link Kind#ANSWER_LOST_AFTER_COMMIT}: the commit reaches the server and is
 * durable, then the connection dies before its answer comes back. The client gets an
 * {@link SQLException} (SQLState 08006) for a transaction that committed.</li>
 * <li>{@link Kind#CONNECTION_LOST_BEFORE_COMMIT}: the connection dies before the commit
 * is sent; the server rolls the transaction back. Same exception, nothing committed.</li>
 * </ul>
 * Either way the driver's connection is aborted, so the pool discards it as it discards
 * one a real fault broke. Registered as a bean, it wraps every {@link DataSource} of the
 * application; a transaction that rolls back, or runs in auto-commit, leaves the fault
 * armed for the next one that matches.
 */
public final class CommitFaults implements BeanPostProcessor {

	/**
	 * The statements of a decision: a state change of a row of the coordinator's log.
	 */
	public static final String DECISION = "update dtx_global_transaction";

	/**
	 * How the connection breaks.
	 */
	public enum Kind {

		/** Committed, then the answer lost. */
		ANSWER_LOST_AFTER_COMMIT,

		/** Lost before the commit was sent: rolled back. */
		CONNECTION_LOST_BEFORE_COMMIT

	}

	private final List<Fault> armed = new CopyOnWriteArrayList<>();

	private final Set<Object> fired = ConcurrentHashMap.newKeySet();

	/**
	 * Arms a fault for the commit of the next local transaction that runs a statement
	 * whose SQL contains {@code sqlFragment} (case ignored) with {@code parameter} bound
	 * (a {@code byte[]} parameter matches a string of its UTF-8 bytes); any statement so
	 * written matches when {@code parameter} is null.
	 */
	public void arm(Kind kind, String sqlFragment, @Nullable Object parameter) {
		this.armed.add(new Fault(kind, sqlFragment.toLowerCase(Locale.ROOT), parameter));
	}

	/**
	 * Whether a fault armed with this parameter fired.
	 */
	public boolean fired(Object parameter) {
		return this.fired.contains(parameter);
	}

	/**
	 * How many faults are armed and did not fire yet.
	 */
	public int armed() {
		return this.armed.size();
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && !(bean instanceof FaultyDataSource)) {
			return new FaultyDataSource(dataSource);
		}
		return bean;
	}

	private @Nullable Fault claim(String sql, Iterable<Object> parameters) {
		String lowerCase = sql.toLowerCase(Locale.ROOT);
		for (Fault fault : this.armed) {
			if (lowerCase.contains(fault.sqlFragment()) && fault.matchesAny(parameters) && this.armed.remove(fault)) {
				return fault;
			}
		}
		return null;
	}

	private void rearm(Fault fault) {
		this.armed.add(fault);
	}

	private record Fault(Kind kind, String sqlFragment, @Nullable Object parameter) {

		boolean matchesAny(Iterable<Object> parameters) {
			if (this.parameter == null) {
				return true;
			}
			for (Object candidate : parameters) {
				if (this.parameter.equals(candidate) || (candidate instanceof byte[] bytes
						&& Arrays.equals(bytes, this.parameter.toString().getBytes(StandardCharsets.UTF_8)))) {
					return true;
				}
			}
			return false;
		}

	}

	/**
	 * The application's data source, handing out connections that may break at commit.
	 */
	final class FaultyDataSource extends DelegatingDataSource implements AutoCloseable {

		FaultyDataSource(DataSource target) {
			super(target);
		}

		@Override
		public Connection getConnection() throws SQLException {
			return faulty(obtainTargetDataSource().getConnection());
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return faulty(obtainTargetDataSource().getConnection(username, password));
		}

		// the pool is closed with the context, as it would be unwrapped
		@Override
		public void close() throws Exception {
			if (obtainTargetDataSource() instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}

		private Connection faulty(Connection connection) {
			return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
					new FaultyConnection(connection));
		}

	}

	/**
	 * A connection that remembers the fault its current transaction claimed.
	 */
	private final class FaultyConnection implements InvocationHandler {

		private final Connection target;

		private volatile @Nullable Fault fault;

		FaultyConnection(Connection target) {
			this.target = target;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			switch (method.getName()) {
				case "commit" -> {
					Fault claimed = this.fault;
					this.fault = null;
					if (claimed != null) {
						breakAtCommit(claimed);
					}
				}
				case "rollback", "close" -> {
					// a rollback to a savepoint ends no transaction
					if (args != null) {
						break;
					}
					Fault claimed = this.fault;
					this.fault = null;
					if (claimed != null) {
						rearm(claimed);
					}
				}
				case "equals" -> {
					return proxy == args[0];
				}
				case "hashCode" -> {
					return System.identityHashCode(proxy);
				}
				default -> {
				}
			}
			Object result = call(this.target, method, args);
			if (result instanceof Statement statement) {
				Class<?> type = (result instanceof CallableStatement) ? CallableStatement.class
						: (result instanceof PreparedStatement) ? PreparedStatement.class : Statement.class;
				String sql = (args != null && args.length > 0 && args[0] instanceof String text) ? text : null;
				return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type },
						new WatchedStatement(this, statement, sql));
			}
			return result;
		}

		void executing(String sql, Iterable<Object> parameters) throws SQLException {
			if (this.fault != null || CommitFaults.this.armed.isEmpty() || this.target.getAutoCommit()) {
				return;
			}
			this.fault = claim(sql, parameters);
		}

		private void breakAtCommit(Fault claimed) throws SQLException {
			if (claimed.kind() == Kind.ANSWER_LOST_AFTER_COMMIT) {
				this.target.commit();
			}
			// the pool's connection hands out the driver's; the pool finds it dead and drops it
			Connection physical = this.target.unwrap(Connection.class);
			try {
				physical.abort(Runnable::run);
			}
			catch (SQLException | RuntimeException ex) {
				physical.close();
			}
			if (claimed.parameter() != null) {
				CommitFaults.this.fired.add(claimed.parameter());
			}
			throw new SQLException("connection lost at commit (injected: " + claimed.kind() + ")", "08006");
		}

	}

	/**
	 * A statement whose SQL and bound parameters are checked against the armed faults
	 * when it runs.
	 */
	private static final class WatchedStatement implements InvocationHandler {

		private final FaultyConnection connection;

		private final Statement target;

		private final @Nullable String sql;

		private final List<Object> parameters = new CopyOnWriteArrayList<>();

		WatchedStatement(FaultyConnection connection, Statement target, @Nullable String sql) {
			this.connection = connection;
			this.target = target;
			this.sql = sql;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			String name = method.getName();
			if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer
					&& args[1] != null) {
				this.parameters.add(args[1]);
			}
			else if (name.startsWith("execute") || name.equals("addBatch")) {
				String sql = (args != null && args.length > 0 && args[0] instanceof String text) ? text : this.sql;
				if (sql != null) {
					this.connection.executing(sql, this.parameters);
				}
			}
			else if (name.equals("equals")) {
				return proxy == args[0];
			}
			else if (name.equals("hashCode")) {
				return System.identityHashCode(proxy);
			}
			return call(this.target, method, args);
		}

	}

	private static Object call(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
