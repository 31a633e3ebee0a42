package io.dtx.tcc.crash;

import java.util.Map;

import io.dtx.tcc.BranchRefusedException;

import org.springframework.http.ResponseEntity;
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

	@PostMapping("/payments/freeze")
	ResponseEntity<Map<String, String>> freeze(@RequestParam String account, @RequestParam int amount) {
		try {
			this.payment.freeze(account, amount);
			return ResponseEntity.ok(Map.of("frozen", Integer.toString(amount)));
		}
		catch (BranchRefusedException ex) {
			return ResponseEntity.status(409).body(Map.of("error", ex.getMessage()));
		}
	}

}
