package io.dtx.core;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The global transaction of the current thread. While one is bound, its id is in the
 * logging MDC under {@value #MDC_KEY}, so that every log line written for it can carry it.
 */
public final class GlobalTransactionContext {

	/**
	 * The MDC key of the current global transaction id.
	 */
	public static final String MDC_KEY = "dtx.xid";

	private static final ThreadLocal<GlobalTransaction> current = new ThreadLocal<>();

	private GlobalTransactionContext() {
	}

	public static @Nullable GlobalTransaction current() {
		return current.get();
	}

	public static void bind(GlobalTransaction transaction) {
		current.set(transaction);
		MDC.put(MDC_KEY, transaction.xid());
	}

	public static void clear() {
		current.remove();
		MDC.remove(MDC_KEY);
	}

}
