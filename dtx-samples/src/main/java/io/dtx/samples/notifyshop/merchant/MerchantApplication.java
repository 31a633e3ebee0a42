package io.dtx.samples.notifyshop.merchant;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A merchant: receives the payment service's notifications and marks its orders paid.
 * Configured by {@code notify-shop.yml} and {@code notify-merchant.yml}; the demo gives
 * each merchant its name and the payment service's address.
 */
@SpringBootApplication
public class MerchantApplication {

}
