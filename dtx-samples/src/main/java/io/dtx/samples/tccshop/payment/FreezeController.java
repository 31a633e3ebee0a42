package io.dtx.samples.tccshop.payment;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /freezes}: the try of the payment branch. The caller's global transaction
 * comes in the request's headers, which dtx joins before this controller runs.
 */
@RestController
class FreezeController {

	private final PaymentService payment;

	FreezeController(PaymentService payment) {
		this.payment = payment;
	}

	@PostMapping("/freezes")
	@ResponseStatus(HttpStatus.CREATED)
	void freeze(@RequestBody Freeze freeze) {
		this.payment.freeze(freeze.account(), freeze.amount());
	}

	// a refused try is an answer, not a server error (dtx answers its own refusals likewise)
	@ExceptionHandler(InsufficientFundsException.class)
	ProblemDetail refused(RuntimeException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

}
