package io.dtx.samples.notifyshop.payment;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The payment service: captures payments and notifies the merchant of each, with the
 * merchants' notification URLs and secrets in its own database. Configured by
 * {@code notify-shop.yml} and {@code notify-payment.yml}.
 */
@SpringBootApplication
public class PaymentApplication {

}
