package io.dtx.samples.commandshop.order;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The order service: defines the saga {@code place-order} and drives it with dtx's
 * orchestrator. Configured by {@code command-shop.yml} and {@code command-order.yml}.
 */
@SpringBootApplication
public class OrderApplication {

}
