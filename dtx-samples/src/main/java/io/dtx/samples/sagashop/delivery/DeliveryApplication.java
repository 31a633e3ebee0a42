package io.dtx.samples.sagashop.delivery;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The delivery service: its own database (table {@code delivery}) and web server,
 * configured by {@code saga-shop.yml} and {@code saga-delivery.yml}.
 */
@SpringBootApplication
public class DeliveryApplication {

}
