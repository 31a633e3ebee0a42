package io.dtx.tcc.crash;

import javax.sql.DataSource;

import io.dtx.tcc.Cancel;
import io.dtx.tcc.Confirm;
import io.dtx.tcc.TccTry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The payment service of the TCC crash tests, a participant: {@code POST
 * /payments/freeze}, called inside the order's transaction, freezes funds as a branch of
 * it; the order service's phase-two requests charge or release them. Configured by command
 * line properties only, its tables created and filled by the test.
 * <p>
 * Crash points: {@code in-try} once the funds are frozen and before the try's local
 * transaction commits; {@code in-confirm} when the charge starts, the branch tried and
 * phase two under way.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class PaymentServiceApplication {

	public static void main(String[] args) {
		ServiceMain.run(PaymentServiceApplication.class, args);
	}

	@Bean
	CrashPoints crashPoints(@Value("${crash.point:}") String crashPoint) {
		return new CrashPoints(crashPoint);
	}

	@Bean
	Payment payment(DataSource dataSource, CrashPoints crashPoints) {
		return new Payment(new JdbcTemplate(dataSource), crashPoints);
	}

	@Bean
	PaymentController paymentController(Payment payment) {
		return new PaymentController(payment);
	}

	/**
	 * An account: the try freezes funds, the confirm charges them, the cancel releases
	 * them. Each confirm and cancel also writes a row of {@code phase_two}, in the same
	 * local transaction, which counts how often it ran.
	 */
	static class Payment {

		private final JdbcTemplate jdbc;

		private final CrashPoints crashPoints;

		Payment(JdbcTemplate jdbc, CrashPoints crashPoints) {
			this.jdbc = jdbc;
			this.crashPoints = crashPoints;
		}

		@TccTry("freeze")
		public void freeze(String account, int amount) {
			if (this.jdbc.update("update account set frozen = frozen + ? where id = ? and balance - frozen >= ?", amount,
					account, amount) == 0) {
				throw new IllegalStateException("insufficient funds: " + account);
			}
			this.crashPoints.reach("in-try");
		}

		@Confirm("freeze")
		public void charge(String account, int amount) {
			this.crashPoints.reach("in-confirm");
			this.jdbc.update("update account set balance = balance - ?, frozen = frozen - ? where id = ?", amount,
					amount, account);
			this.jdbc.update("insert into phase_two (action, decision) values ('payment', 'confirm')");
		}

		@Cancel("freeze")
		public void release(String account, int amount) {
			this.jdbc.update("update account set frozen = frozen - ? where id = ?", amount, account);
			this.jdbc.update("insert into phase_two (action, decision) values ('payment', 'cancel')");
		}

	}

}
