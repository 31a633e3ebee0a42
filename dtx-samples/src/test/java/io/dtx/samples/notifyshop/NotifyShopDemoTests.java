package io.dtx.samples.notifyshop;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.dtx.samples.notifyshop.NotifyShopDemo.Scenario;
import io.dtx.samples.services.Services;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Best-effort notification, run as the demo runs it: a payment service and two merchants
 * in one JVM, over real HTTP. A merchant that was down is told once it is up; a merchant
 * that never got its notification finds it by reconciliation and, told again, pays once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotifyShopDemoTests {

	private final ByteArrayOutputStream report = new ByteArrayOutputStream();

	private NotifyShop shop;

	private List<Scenario> scenarios;

	@BeforeAll
	void playTheDemo() {
		this.shop = NotifyShop.start();
		this.scenarios = new NotifyShopDemo(this.shop, new PrintStream(this.report, true, StandardCharsets.UTF_8))
			.play();
	}

	@AfterAll
	void stopTheShop() {
		if (this.shop != null) {
			this.shop.close();
		}
	}

	@Test
	void aMerchantThatWasDownIsToldOnceItIsUp() {
		Scenario down = this.scenarios.get(0);
		assertThat(down.state()).isEqualTo("DELIVERED");
		assertThat(down.attempts()).as("two failed while merchant A was down, then one got through")
			.isGreaterThanOrEqualTo(3);
		assertThat(down.paid()).isOne();
		assertThat(this.report.toString(StandardCharsets.UTF_8)).contains("failed attempts, last:");
	}

	@Test
	void aNotificationThatNeverArrivedIsFoundByReconciliationAndAppliedOnce() {
		Scenario mistyped = this.scenarios.get(1);
		assertThat(mistyped.exhausted()).isNotNull();
		assertThat(mistyped.exhausted().attempts()).as("the first attempt and one per delay of 200ms,200ms").isEqualTo(3);
		assertThat(mistyped.exhausted().lastError()).contains("404");
		assertThat(mistyped.reconciliation()).isNotNull();
		assertThat(mistyped.reconciliation().applied()).isOne();
		assertThat(mistyped.reconciliation().failed()).isEmpty();
		assertThat(mistyped.state()).as("delivered again after the URL was fixed").isEqualTo("DELIVERED");
		assertThat(mistyped.paid()).as("reconciliation and the retried POST pay the order once").isOne();
	}

	@Test
	void theMerchantsHearOfExactlyThePaymentsCaptured() {
		assertThat(Services.database(this.shop.payment()).queryForList("select id from payment order by id",
				String.class)).containsExactly("p-1", "p-2");
		assertThat(Services.database(this.shop.merchantA()).queryForList("select payment_id from paid_order",
				String.class)).containsExactly("p-1");
		assertThat(Services.database(this.shop.merchantB()).queryForList("select payment_id from paid_order",
				String.class)).containsExactly("p-2");
	}

}
