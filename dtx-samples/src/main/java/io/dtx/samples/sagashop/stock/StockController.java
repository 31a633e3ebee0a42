package io.dtx.samples.sagashop.stock;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /reservations}: a step of the caller's saga, which dtx joins from the
 * request's headers before this controller runs.
 */
@RestController
class StockController {

	private final StockService stock;

	StockController(StockService stock) {
		this.stock = stock;
	}

	@PostMapping("/reservations")
	@ResponseStatus(HttpStatus.CREATED)
	void take(@RequestBody Reservation reservation) {
		this.stock.take(reservation.item(), reservation.quantity());
	}

	// a refused step is an answer, not a server error
	@ExceptionHandler(OutOfStockException.class)
	ProblemDetail refused(RuntimeException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

	record Reservation(String item, int quantity) {

	}

}
