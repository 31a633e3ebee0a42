package io.dtx.samples.messageshop.order;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The order service in a JVM of its own, which places the order {@code demo.crash-order}
 * once started and dies as {@code kill -9} kills a process, right after the order's local
 * transaction committed: before dtx sends the message's decision, so that only a
 * check-back can tell the resolver that it committed.
 */
public final class CrashingOrderService {

	/** Its exit code, as a shell reports a process {@code kill -9} ended. */
	public static final int KILLED = 137;

	private CrashingOrderService() {
	}

	public static void main(String[] args) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(OrderApplication.class).run(args);
		String orderId = context.getEnvironment().getRequiredProperty("demo.crash-order");
		context.getBean(OrderService.class).place(orderId, "book", 1, () -> {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					// before any afterCompletion, where dtx sends the decision
					Runtime.getRuntime().halt(KILLED);
				}

			});
		});
		throw new IllegalStateException("The order service was to die after committing " + orderId);
	}

}
