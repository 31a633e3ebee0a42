package io.dtx.samples.eventshop.order;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The order service: creates orders and follows them to COMPLETED or FAILED from the
 * events of the other services. Configured by {@code event-shop.yml} and
 * {@code event-order.yml}.
 */
@SpringBootApplication
public class OrderApplication {

}
