package io.dtx.samples.sagashop.payment;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /charges}: a step of the caller's saga, which dtx joins from the request's
 * headers before this controller runs.
 */
@RestController
class ChargeController {

	private final PaymentService payment;

	ChargeController(PaymentService payment) {
		this.payment = payment;
	}

	@PostMapping("/charges")
	@ResponseStatus(HttpStatus.CREATED)
	Long charge(@RequestBody Charge charge) {
		return this.payment.charge(charge.order(), charge.account(), charge.amount());
	}

	// a refused step is an answer, not a server error
	@ExceptionHandler(InsufficientFundsException.class)
	ProblemDetail refused(RuntimeException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

	record Charge(long order, String account, int amount) {

	}

}
