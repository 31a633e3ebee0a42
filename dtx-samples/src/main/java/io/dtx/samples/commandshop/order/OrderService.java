package io.dtx.samples.commandshop.order;

import io.dtx.saga.orchestration.SagaOrchestrator;

import org.springframework.stereotype.Service;

/**
 * Places orders: each is a {@code place-order} saga, started here and driven by the
 * orchestrator as the other services reply.
 */
@Service
public class OrderService {

	private final SagaOrchestrator orchestrator;

	OrderService(SagaOrchestrator orchestrator) {
		this.orchestrator = orchestrator;
	}

	/**
	 * Starts the saga of the order and returns its id; the order is created by the saga's
	 * first step, in the same local transaction.
	 */
	public String placeOrder(String orderId, String item, int quantity, String account, int amount) {
		return this.orchestrator.start(PlaceOrderSaga.NAME, new Order(orderId, account, item, quantity, amount, null,
				null));
	}

}
