package io.dtx.saga.crash;

import java.util.Map;

import javax.sql.DataSource;

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

/**
 * The payment service of the saga crash tests, a participant: {@code POST
 * /payments/charge}, called inside the order's saga, charges the customer as a step of
 * it; the order service's phase-two requests refund the charge. Configured by
 * command-line properties only, its tables created by the test.
 * <p>
 * Crash points: {@code in-step} once the balance is charged and before the step's local
 * transaction commits; {@code in-compensation} when the refund starts.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class SagaPaymentService {

	public static void main(String[] args) {
		ServiceMain.run(SagaPaymentService.class, args);
	}

	@Bean
	CrashPoints crashPoints(@Value("${crash.point:}") String crashPoint) {
		return new CrashPoints(crashPoint);
	}

	@Bean
	Payment payment(DataSource dataSource, CrashPoints crashPoints) {
		return new Payment(new JdbcTemplate(dataSource), crashPoints);
	}

	// registered as a member class of this configuration
	@RestController
	static class PaymentController {

		private final Payment payment;

		PaymentController(Payment payment) {
			this.payment = payment;
		}

		@PostMapping("/payments/charge")
		Map<String, Integer> charge(@RequestParam String customer, @RequestParam int amount) {
			return Map.of("charge", this.payment.charge(customer, amount));
		}

	}

	/**
	 * An account charged by a saga step; the refund takes the charge's id, the step's
	 * result, and writes a row of {@code compensation} in its local transaction.
	 */
	static class Payment {

		private final JdbcTemplate jdbc;

		private final CrashPoints crashPoints;

		Payment(JdbcTemplate jdbc, CrashPoints crashPoints) {
			this.jdbc = jdbc;
			this.crashPoints = crashPoints;
		}

		@SagaStep(compensate = "refund")
		public Integer charge(String customer, int amount) {
			this.jdbc.update("update account set balance = balance - ? where id = ?", amount, customer);
			this.jdbc.update("insert into charge (customer, amount) values (?, ?)", customer, amount);
			this.crashPoints.reach("in-step");
			return this.jdbc.queryForObject("select max(id) from charge", Integer.class);
		}

		public void refund(String customer, int amount, Integer chargeId) {
			this.crashPoints.reach("in-compensation");
			this.jdbc.update("update account set balance = balance + ? where id = ?", amount, customer);
			this.jdbc.update("delete from charge where id = ?", chargeId);
			this.jdbc.update("insert into compensation (action) values ('payment')");
		}

	}

}
