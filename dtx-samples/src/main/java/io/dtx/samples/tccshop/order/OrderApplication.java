package io.dtx.samples.tccshop.order;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The order service: its own database, which holds only dtx's coordinator log, and its
 * own web server, configured by {@code tcc-shop.yml} and {@code tcc-order.yml}, plus the
 * URLs of the stock and payment services in {@code shop.stock.url} and
 * {@code shop.payment.url}.
 */
@SpringBootApplication
public class OrderApplication {

}
