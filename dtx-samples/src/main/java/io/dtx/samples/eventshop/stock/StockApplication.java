package io.dtx.samples.eventshop.stock;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The stock service: takes the items of a billed order, or says they are out of stock.
 * Configured by {@code event-shop.yml} and {@code event-stock.yml}.
 */
@SpringBootApplication
public class StockApplication {

}
