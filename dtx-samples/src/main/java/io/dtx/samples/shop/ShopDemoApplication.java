package io.dtx.samples.shop;

import io.dtx.samples.commandshop.CommandShopDemo;
import io.dtx.samples.eventshop.EventShopDemo;
import io.dtx.samples.messageshop.MessageShopDemo;
import io.dtx.samples.notifyshop.NotifyShopDemo;
import io.dtx.samples.sagashop.SagaShopDemo;
import io.dtx.samples.tccshop.TccShopDemo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The shop demo: an order is written in the {@code orders} database and its items taken
 * from the {@code stock} database in one XA transaction, which dtx wires from the
 * {@code dtx.xa.datasources} of {@code application.yml}. {@link ShopDemo} plays the
 * scenarios and prints what happened. Then {@link TccShopDemo} plays the same shop as three
 * services that use TCC over HTTP, {@link SagaShopDemo} the order saga over four, and
 * {@link EventShopDemo} four services in a saga by events, through dtx's outbox and inbox,
 * {@link NotifyShopDemo} a payment service that notifies its merchants,
 * {@link MessageShopDemo} an order service that announces its orders with transactional
 * messages, and {@link CommandShopDemo} the order saga by commands, driven over Kafka by the
 * order service's durable orchestrator.
 */
@SpringBootApplication
public class ShopDemoApplication {

	public static void main(String[] args) {
		// the demo is its runner: once the report is printed there is nothing left to serve
		int exitCode = SpringApplication.exit(SpringApplication.run(ShopDemoApplication.class, args));
		if (exitCode == 0) {
			// each starts and stops its services itself
			TccShopDemo.run(System.out);
			SagaShopDemo.run(System.out);
			EventShopDemo.run(System.out);
			NotifyShopDemo.run(System.out);
			MessageShopDemo.run(System.out);
			CommandShopDemo.run(System.out);
		}
		System.exit(exitCode);
	}

}
