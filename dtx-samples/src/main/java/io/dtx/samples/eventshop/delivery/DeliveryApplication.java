package io.dtx.samples.eventshop.delivery;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The delivery service: delivers prepared orders. Configured by {@code event-shop.yml}
 * and {@code event-delivery.yml}.
 */
@SpringBootApplication
public class DeliveryApplication {

}
