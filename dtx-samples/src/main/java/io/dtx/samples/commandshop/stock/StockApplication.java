package io.dtx.samples.commandshop.stock;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The stock service: reserves and releases items when the order service's saga says so.
 * Configured by {@code command-shop.yml} and {@code command-stock.yml}.
 */
@SpringBootApplication
public class StockApplication {

}
