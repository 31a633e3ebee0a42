package io.dtx.samples.shop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The shop demo: an order is written in the {@code orders} database and its items taken
 * from the {@code stock} database in one XA transaction, which dtx wires from the
 * {@code dtx.xa.datasources} of {@code application.yml}. {@link ShopDemo} plays the
 * scenarios and prints what happened.
 */
@SpringBootApplication
public class ShopDemoApplication {

	public static void main(String[] args) {
		// the demo is its runner: once the report is printed there is nothing left to serve
		System.exit(SpringApplication.exit(SpringApplication.run(ShopDemoApplication.class, args)));
	}

}
