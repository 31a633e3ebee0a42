package io.dtx.samples.eventshop.payment;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The payment service: charges an order when it is created, refunds it when the stock
 * cannot serve it. Configured by {@code event-shop.yml} and {@code event-payment.yml}.
 */
@SpringBootApplication
public class PaymentApplication {

}
