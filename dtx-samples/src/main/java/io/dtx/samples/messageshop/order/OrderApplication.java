package io.dtx.samples.messageshop.order;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The order service: takes the stock of an order and announces it with a transactional
 * message. Configured by {@code message-shop.yml} and {@code message-order.yml}.
 */
@SpringBootApplication
public class OrderApplication {

}
