package io.dtx.tcc.crash;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The order service's endpoint: one order, one TCC transaction.
 */
@RestController
class OrderController {

	private final OrderServiceApplication.Orders orders;

	OrderController(OrderServiceApplication.Orders orders) {
		this.orders = orders;
	}

	@PostMapping("/orders")
	String placeOrder(@RequestParam String item, @RequestParam int quantity, @RequestParam int price) {
		return this.orders.placeOrder(item, quantity, price);
	}

}
