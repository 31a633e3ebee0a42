package io.dtx.core;

import org.jspecify.annotations.Nullable;

/**
 * The global transaction of the current thread.
 */
public final class GlobalTransactionContext {

	private static final ThreadLocal<GlobalTransaction> current = new ThreadLocal<>();

	private GlobalTransactionContext() {
	}

	public static @Nullable GlobalTransaction current() {
		return current.get();
	}

	public static void bind(GlobalTransaction transaction) {
		current.set(transaction);
	}

	public static void clear() {
		current.remove();
	}

}
