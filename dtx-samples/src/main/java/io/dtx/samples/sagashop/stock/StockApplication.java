package io.dtx.samples.sagashop.stock;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The stock service: its own database (table {@code stock}) and web server, configured
 * by {@code saga-shop.yml} and {@code saga-stock.yml}.
 */
@SpringBootApplication
public class StockApplication {

}
