package io.dtx.samples.commandshop.delivery;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The delivery service: schedules deliveries when the order service's saga says so.
 * Configured by {@code command-shop.yml} and {@code command-delivery.yml}.
 */
@SpringBootApplication
public class DeliveryApplication {

}
