package io.dtx.tcc.crash;

import java.util.Map;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The payment service's endpoint, called inside the order's transaction: the funds it
 * freezes are a branch of that transaction.
 */
@RestController
class PaymentController {

	private final PaymentServiceApplication.Payment payment;

	PaymentController(PaymentServiceApplication.Payment payment) {
		this.payment = payment;
	}

	// a refused try becomes 409 through dtx's own handler
	@PostMapping("/payments/freeze")
	Map<String, String> freeze(@RequestParam String account, @RequestParam int amount) {
		this.payment.freeze(account, amount);
		return Map.of("frozen", Integer.toString(amount));
	}

}
