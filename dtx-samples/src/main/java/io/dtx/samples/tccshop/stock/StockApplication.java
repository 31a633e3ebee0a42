package io.dtx.samples.tccshop.stock;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The stock service: its own database (table {@code stock}) and its own web server,
 * configured by {@code tcc-shop.yml} and {@code tcc-stock.yml}. dtx joins the requests
 * that carry a global transaction and serves the phase-two endpoint the order service
 * calls.
 */
@SpringBootApplication
public class StockApplication {

}
