package io.dtx.autoconfigure;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A real DataSource that records the SQL of every statement prepared or executed on its
 * connections, so that a test can say which tables an application read or wrote.
 */
final class RecordingDataSource {

	private final DataSource target;

	private final List<String> statements = new CopyOnWriteArrayList<>();

	RecordingDataSource(DataSource target) {
		this.target = target;
	}

	DataSource dataSource() {
		return proxy(DataSource.class, this.target);
	}

	List<String> statements() {
		return List.copyOf(this.statements);
	}

	private <T> T proxy(Class<T> type, Object target) {
		InvocationHandler handler = (proxy, method, args) -> {
			if (args != null && args.length > 0 && args[0] instanceof String sql && isStatementWithSql(method)) {
				this.statements.add(sql);
			}
			Object result = invoke(method, target, args);
			if (result instanceof Connection connection) {
				return proxy(Connection.class, connection);
			}
			if (result instanceof Statement statement && method.getReturnType() == Statement.class) {
				return proxy(Statement.class, statement);
			}
			return result;
		};
		return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { type }, handler));
	}

	private static boolean isStatementWithSql(Method method) {
		String name = method.getName();
		return name.startsWith("prepare") || name.startsWith("execute") || name.equals("addBatch");
	}

	private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
