package io.dtx.core;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * Carries a checked exception of an intercepted method through a
 * {@link org.springframework.transaction.support.TransactionTemplate}, which rolls back
 * on it; {@link #unwrap} gives the caller the original back.
 */
public final class InvocationFailure extends RuntimeException {

	private InvocationFailure(Throwable cause) {
		super(cause);
	}

	/**
	 * Proceeds with the invocation, wrapping a checked exception.
	 */
	public static @Nullable Object proceed(MethodInvocation invocation) {
		try {
			return invocation.proceed();
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new InvocationFailure(ex);
		}
	}

	/**
	 * The exception to hand to the caller: the checked one this carried, or {@code ex}
	 * itself.
	 */
	public static Throwable unwrap(Throwable ex) {
		return (ex instanceof InvocationFailure failure) ? failure.getCause() : ex;
	}

	@Override
	public synchronized Throwable getCause() {
		return super.getCause();
	}

}
