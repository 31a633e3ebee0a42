package io.dtx.samples.sagashop.order;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The order service: its own database (table {@code orders} and dtx's log) and web
 * server, configured by {@code saga-shop.yml} and {@code saga-order.yml}, plus the URLs of
 * the other services in {@code shop.payment.url}, {@code shop.stock.url} and
 * {@code shop.delivery.url}.
 */
@SpringBootApplication
public class OrderApplication {

}
