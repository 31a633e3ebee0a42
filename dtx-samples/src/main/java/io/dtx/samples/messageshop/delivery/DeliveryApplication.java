package io.dtx.samples.messageshop.delivery;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The delivery service: ships the orders it hears of, and runs the shop's resolver.
 * Configured by {@code message-shop.yml} and {@code message-delivery.yml}.
 */
@SpringBootApplication
public class DeliveryApplication {

}
