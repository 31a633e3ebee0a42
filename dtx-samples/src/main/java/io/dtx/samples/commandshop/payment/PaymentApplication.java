package io.dtx.samples.commandshop.payment;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The payment service: charges and refunds when the order service's saga says so.
 * Configured by {@code command-shop.yml} and {@code command-payment.yml}.
 */
@SpringBootApplication
public class PaymentApplication {

}
