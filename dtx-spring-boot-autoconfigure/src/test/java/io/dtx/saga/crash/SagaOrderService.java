package io.dtx.saga.crash;

import javax.sql.DataSource;

import io.dtx.saga.Saga;
import io.dtx.saga.SagaStep;
import io.dtx.tcc.crash.CrashPoints;
import io.dtx.tcc.crash.ServiceMain;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * The order service of the saga crash tests, the orchestrator: {@code POST /orders} runs
 * a saga of three steps, reserving stock (local), charging the customer in the payment
 * service (remote) and scheduling a delivery (local); with {@code fail=true} it throws
 * afterwards, so that all three are compensated. Configured by command-line properties
 * only; its tables are created by the test.
 * <p>
 * Crash points: {@code after-step-1}, {@code after-step-2}, {@code after-step-3} once
 * that step returned; {@code in-compensation} in the stock's compensation, the last one
 * to run, once the others committed.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class SagaOrderService {

	public static void main(String[] args) {
		ServiceMain.run(SagaOrderService.class, args);
	}

	@Bean
	CrashPoints crashPoints(@Value("${crash.point:}") String crashPoint) {
		return new CrashPoints(crashPoint);
	}

	@Bean
	Steps steps(DataSource dataSource, CrashPoints crashPoints) {
		return new Steps(new JdbcTemplate(dataSource), crashPoints);
	}

	/**
	 * An order: one saga; registered as a member class of this configuration.
	 */
	@RestController
	static class Orders {

		private final Steps steps;

		private final RestClient payment;

		private final CrashPoints crashPoints;

		Orders(Steps steps, RestClient.Builder restClient, @Value("${payment.url}") String paymentUrl,
				CrashPoints crashPoints) {
			this.steps = steps;
			this.payment = restClient.baseUrl(paymentUrl).build();
			this.crashPoints = crashPoints;
		}

		// short, since a saga killed before it finished is compensated once it has passed;
		// long enough that a cold JVM on a loaded machine still finishes in time
		@Saga(name = "place-order", timeout = "10s")
		@PostMapping("/orders")
		public String placeOrder(@RequestParam int quantity, @RequestParam int amount, @RequestParam boolean fail) {
			this.steps.reserve("widget", quantity);
			this.crashPoints.reach("after-step-1");
			this.payment.post()
				.uri("/payments/charge?customer={customer}&amount={amount}", "alice", amount)
				.retrieve()
				.toBodilessEntity();
			this.crashPoints.reach("after-step-2");
			this.steps.schedule("widget");
			this.crashPoints.reach("after-step-3");
			if (fail) {
				throw new IllegalStateException("order refused");
			}
			return "ordered";
		}

	}

	/**
	 * The order service's local steps. Each compensation writes a row of
	 * {@code compensation} in its own local transaction, which counts how often it ran.
	 */
	static class Steps {

		private final JdbcTemplate jdbc;

		private final CrashPoints crashPoints;

		Steps(JdbcTemplate jdbc, CrashPoints crashPoints) {
			this.jdbc = jdbc;
			this.crashPoints = crashPoints;
		}

		@SagaStep(compensate = "release")
		public void reserve(String item, int quantity) {
			if (this.jdbc.update("update stock set available = available - ? where item = ? and available >= ?",
					quantity, item, quantity) == 0) {
				throw new IllegalStateException("out of stock: " + item);
			}
		}

		public void release(String item, int quantity) {
			this.crashPoints.reach("in-compensation");
			this.jdbc.update("update stock set available = available + ? where item = ?", quantity, item);
			this.jdbc.update("insert into compensation (action) values ('stock')");
		}

		@SagaStep(compensate = "cancel")
		public String schedule(String item) {
			String id = "D-" + item;
			this.jdbc.update("insert into delivery (id) values (?)", id);
			return id;
		}

		public void cancel(String item, String deliveryId) {
			this.jdbc.update("delete from delivery where id = ?", deliveryId);
			this.jdbc.update("insert into compensation (action) values ('delivery')");
		}

	}

}
