package io.dtx.samples.sagashop.delivery;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /deliveries}: a step of the caller's saga, which dtx joins from the
 * request's headers before this controller runs.
 */
@RestController
class DeliveryController {

	private final DeliveryService deliveries;

	DeliveryController(DeliveryService deliveries) {
		this.deliveries = deliveries;
	}

	@PostMapping("/deliveries")
	@ResponseStatus(HttpStatus.CREATED)
	String schedule(@RequestBody Delivery delivery) {
		return this.deliveries.schedule(delivery.order(), delivery.item());
	}

	record Delivery(long order, String item) {

	}

}
