package io.dtx.samples.sagashop.payment;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The payment service: its own database (tables {@code account} and {@code charge}) and
 * web server, configured by {@code saga-shop.yml} and {@code saga-payment.yml}.
 */
@SpringBootApplication
public class PaymentApplication {

}
