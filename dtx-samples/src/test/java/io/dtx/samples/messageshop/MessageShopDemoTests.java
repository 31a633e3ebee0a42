package io.dtx.samples.messageshop;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.dtx.samples.messageshop.MessageShopDemo.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactional messages, run as the demo runs them: the order service and the delivery
 * service over the in-process broker, the order service killed once in a JVM of its own.
 * A committed order ships once, a rolled-back one never, and one whose decision died with
 * its service ships once, after the check-back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageShopDemoTests {

	private final ByteArrayOutputStream report = new ByteArrayOutputStream();

	private MessageShop shop;

	private List<Scenario> scenarios;

	@BeforeAll
	void playTheDemo() {
		this.shop = MessageShop.start();
		this.scenarios = new MessageShopDemo(this.shop, new PrintStream(this.report, true, StandardCharsets.UTF_8))
			.play();
	}

	@AfterAll
	void stopTheShop() {
		if (this.shop != null) {
			this.shop.close();
		}
	}

	@Test
	void aCommittedOrderShipsOnce() {
		assertThat(this.scenarios.get(0)).isEqualTo(new Scenario("o-1", "placed", true, 1, 0));
	}

	@Test
	void aRolledBackOrderNeverShips() {
		Scenario rolledBack = this.scenarios.get(1);
		assertThat(rolledBack.callerHeard()).isEqualTo("Out of stock: 50 x book");
		assertThat(rolledBack.placed()).isFalse();
		assertThat(rolledBack.shipped()).isZero();
		assertThat(this.shop.resolver().dropped()).isOne();
	}

	@Test
	void anOrderWhoseDecisionDiedWithItsServiceShipsOnceAfterTheCheckBack() {
		Scenario crashed = this.scenarios.get(2);
		assertThat(crashed.placed()).as("committed before the crash").isTrue();
		assertThat(crashed.shipped()).isOne();
		assertThat(crashed.checkBacks()).as("one while the service was down, one answered").isGreaterThanOrEqualTo(2);
		assertThat(this.shop.resolver().delivered()).as("o-1 and o-3").isEqualTo(2);
		assertThat(this.report.toString(StandardCharsets.UTF_8)).contains("answered COMMITTED");
	}

}
