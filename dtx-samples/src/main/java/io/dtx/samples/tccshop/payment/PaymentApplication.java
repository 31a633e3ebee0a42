package io.dtx.samples.tccshop.payment;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The payment service: its own database (table {@code account}) and its own web server,
 * configured by {@code tcc-shop.yml} and {@code tcc-payment.yml}. dtx joins the requests
 * that carry a global transaction and serves the phase-two endpoint the order service
 * calls.
 */
@SpringBootApplication
public class PaymentApplication {

}
