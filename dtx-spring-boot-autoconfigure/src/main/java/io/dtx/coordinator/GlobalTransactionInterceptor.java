package io.dtx.coordinator;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.dtx.core.DtxObservations;
import io.dtx.core.GlobalTransaction;
import io.dtx.core.GlobalTransactionContext;
import io.micrometer.observation.Observation;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs a method annotated with a global transaction annotation ({@code name} and
 * {@code timeout} attributes) as a global transaction: begins it, binds it to the
 * thread, and commits or rolls it back when the method returns or throws. Inside a
 * global transaction already in progress, the method simply joins it.
 */
public class GlobalTransactionInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(GlobalTransactionInterceptor.class);

	private final GlobalTransactionCoordinator coordinator;

	private final Class<? extends Annotation> annotationType;

	private final Duration defaultTimeout;

	private final Map<Method, Definition> definitions = new ConcurrentHashMap<>();

	public GlobalTransactionInterceptor(GlobalTransactionCoordinator coordinator,
			Class<? extends Annotation> annotationType, Duration defaultTimeout) {
		this.coordinator = coordinator;
		this.annotationType = annotationType;
		this.defaultTimeout = defaultTimeout;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		if (GlobalTransactionContext.current() != null) {
			return invocation.proceed();
		}
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			// its branches would hold the transaction's row in the caller's transaction, which
			// cannot end before the decision that needs that row: a deadlock
			throw new IllegalStateException("@" + this.annotationType.getSimpleName() + " method "
					+ invocation.getMethod().getDeclaringClass().getName() + "." + invocation.getMethod().getName()
					+ " was called inside a local transaction; call it outside any @Transactional method: its "
					+ "branches run their own local transactions");
		}
		Definition definition = this.definitions.computeIfAbsent(invocation.getMethod(), this::definition);
		// its scope spans the branches, the calls to other services and phase two: their
		// observations are its children, and the calls carry its trace
		Observation observation = DtxObservations.transaction(this.coordinator.observations(), definition.name());
		return observation.observeChecked(() -> run(invocation, definition, observation));
	}

	private @Nullable Object run(MethodInvocation invocation, Definition definition, Observation observation)
			throws Throwable {
		GlobalTransaction transaction = this.coordinator.begin(definition.name(), definition.timeout());
		observation.lowCardinalityKeyValue("dtx.mode", transaction.mode())
			.highCardinalityKeyValue("dtx.xid", transaction.xid());
		GlobalTransactionContext.bind(transaction);
		Object result;
		try {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			GlobalTransactionContext.clear();
			try {
				this.coordinator.rollback(transaction);
			}
			catch (RuntimeException bookkeeping) {
				// the caller hears its own exception; the rollback is followed up and recovered
				ex.addSuppressed(bookkeeping);
				logger.warn("[" + transaction.xid() + "] rolling back after " + ex + " failed; it is followed up: "
						+ bookkeeping, bookkeeping);
			}
			throw ex;
		}
		GlobalTransactionContext.clear();
		this.coordinator.commit(transaction);
		return result;
	}

	private Definition definition(Method method) {
		AnnotationAttributes attributes = AnnotatedElementUtils.findMergedAnnotationAttributes(method,
				this.annotationType, false, false);
		String name = (attributes != null) ? attributes.getString("name") : "";
		String timeout = (attributes != null) ? attributes.getString("timeout") : "";
		return new Definition(
				name.isEmpty() ? method.getDeclaringClass().getSimpleName() + "." + method.getName() : name,
				timeout.isEmpty() ? this.defaultTimeout : DurationStyle.detectAndParse(timeout));
	}

	private record Definition(String name, Duration timeout) {

	}

}
