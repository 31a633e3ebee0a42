package io.dtx.samples.tccshop.stock;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /reservations}: the try of the stock branch. The caller's global transaction
 * comes in the request's headers, which dtx joins before this controller runs.
 */
@RestController
class ReservationController {

	private final StockService stock;

	ReservationController(StockService stock) {
		this.stock = stock;
	}

	@PostMapping("/reservations")
	@ResponseStatus(HttpStatus.CREATED)
	void reserve(@RequestBody Reservation reservation) {
		this.stock.reserve(reservation.item(), reservation.quantity());
	}

	// a refused try is an answer, not a server error (dtx answers its own refusals likewise)
	@ExceptionHandler(OutOfStockException.class)
	ProblemDetail refused(RuntimeException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
	}

}
