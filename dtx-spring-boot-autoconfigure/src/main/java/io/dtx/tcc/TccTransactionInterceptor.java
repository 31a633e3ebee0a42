package io.dtx.tcc;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs a {@link TccTransaction} method as a global transaction: begins it, binds it to
 * the thread, and confirms or cancels its branches when the method returns or throws.
 * Inside a global transaction already in progress, the method simply joins it.
 */
class TccTransactionInterceptor implements MethodInterceptor {

	private final TccCoordinator coordinator;

	private final Duration defaultTimeout;

	private final Map<Method, Definition> definitions = new ConcurrentHashMap<>();

	TccTransactionInterceptor(TccCoordinator coordinator, Duration defaultTimeout) {
		this.coordinator = coordinator;
		this.defaultTimeout = defaultTimeout;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		if (GlobalTransactionContext.current() != null) {
			return invocation.proceed();
		}
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			// its tries would hold the transaction's row in the caller's transaction, which
			// cannot end before the decision that needs that row: a deadlock
			throw new IllegalStateException("@TccTransaction method " + invocation.getMethod().getDeclaringClass()
				.getName() + "." + invocation.getMethod().getName() + " was called inside a local transaction; "
					+ "call it outside any @Transactional method: its branches run their own local transactions");
		}
		Definition definition = this.definitions.computeIfAbsent(invocation.getMethod(), this::definition);
		GlobalTransaction transaction = this.coordinator.begin(definition.name(), definition.timeout());
		GlobalTransactionContext.bind(transaction);
		Object result;
		try {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			GlobalTransactionContext.clear();
			this.coordinator.cancel(transaction);
			throw ex;
		}
		GlobalTransactionContext.clear();
		this.coordinator.confirm(transaction);
		return result;
	}

	private Definition definition(Method method) {
		TccTransaction annotation = AnnotatedElementUtils.findMergedAnnotation(method, TccTransaction.class);
		String name = (annotation == null || annotation.name().isEmpty())
				? method.getDeclaringClass().getSimpleName() + "." + method.getName() : annotation.name();
		Duration timeout = (annotation == null || annotation.timeout().isEmpty()) ? this.defaultTimeout
				: DurationStyle.detectAndParse(annotation.timeout());
		return new Definition(name, timeout);
	}

	private record Definition(String name, Duration timeout) {

	}

}
