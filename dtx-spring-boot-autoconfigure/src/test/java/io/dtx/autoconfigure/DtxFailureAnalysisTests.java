package io.dtx.autoconfigure;

import java.util.UUID;

import io.dtx.notify.NotificationHandler;
import io.dtx.tcc.TccTry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Wrong wiring and a database dtx cannot reach stop a {@link SpringApplication} with
 * Spring Boot's "APPLICATION FAILED TO START" report, what is wrong first, and no stack
 * trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class DtxFailureAnalysisTests {

	@Test
	void tryWithoutConfirmIsReportedNamingBeanAndMethod(CapturedOutput output) {
		run(NoConfirmApplication.class, "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID());
		assertThat(report(output)).startsWith("Description:\n\nBean 'inventory' (" + Inventory.class.getName()
				+ "): @TccTry(\"hold\") method hold(String, int) has no @Confirm(\"hold\") method\n\nAction:\n\n"
				+ "Add a method annotated @Confirm(\"hold\") to Inventory that takes (String, int) or "
				+ "(String, int, BranchContext).");
		assertNoStackTrace(output);
	}

	@Test
	void handlerWithAWrongSignatureIsReportedNamingBeanAndMethod(CapturedOutput output) {
		run(BadHandlerApplication.class, "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID());
		assertThat(report(output)).startsWith("Description:\n\n@NotificationHandler(\"PAID\") merchant.paid must take "
				+ "the payload, optionally followed by a NotificationContext, but takes 0 parameter(s)")
			.contains("Action:\n\nDeclare it as paid(YourPayload payload) or paid(YourPayload payload, "
					+ "NotificationContext context).");
		assertNoStackTrace(output);
	}

	@Test
	void endpointWithoutSecretIsReportedNamingTheSetting(CapturedOutput output) {
		run(DtxApplication.class, "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
				"--dtx.notify.endpoints.shop.url=http://shop/notify");
		assertThat(report(output)).startsWith("Description:\n\ndtx.notify.endpoints.shop needs both a url and a secret")
			.contains("Action:\n\nSet dtx.notify.endpoints.shop.url and dtx.notify.endpoints.shop.secret");
		assertNoStackTrace(output);
	}

	@Test
	void databaseThatDoesNotExistIsReportedWithTheDriversWordsFirst(CapturedOutput output) {
		String url = "jdbc:h2:file:./target/no-such-database-" + UUID.randomUUID() + ";IFEXISTS=TRUE";
		run(DtxApplication.class, "--spring.datasource.url=" + url);
		assertThat(report(output)).startsWith("Description:\n\nDatabase \"")
			.contains("not found, and IFEXISTS=true")
			.contains("dtx cannot reach the database of its tables at " + url)
			.contains("Action:\n\nCheck the URL, user and password of the DataSource");
		assertNoStackTrace(output);
	}

	private static void run(Class<?> application, String... args) {
		SpringApplication spring = new SpringApplication(application);
		spring.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> spring.run(args));
	}

	private static String report(CapturedOutput output) {
		String all = output.getAll();
		int start = all.indexOf("APPLICATION FAILED TO START");
		assertThat(start).as("the failure report in:\n%s", all).isNotNegative();
		return all.substring(all.indexOf("Description:", start));
	}

	private static void assertNoStackTrace(CapturedOutput output) {
		assertThat(output.getAll()).doesNotContain("\tat ").doesNotContain("Application run failed");
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
			TransactionAutoConfiguration.class, RestClientAutoConfiguration.class, DtxSchemaAutoConfiguration.class,
			DtxTablesAutoConfiguration.class, DtxCoreAutoConfiguration.class, DtxTccAutoConfiguration.class,
			DtxNotifyAutoConfiguration.class })
	static class DtxApplication {

	}

	@Import({ DtxApplication.class, Inventory.class })
	static class NoConfirmApplication {

	}

	@Import({ DtxApplication.class, Merchant.class })
	static class BadHandlerApplication {

	}

	@org.springframework.stereotype.Component("inventory")
	static class Inventory {

		@TccTry("hold")
		public void hold(String item, int quantity) {
		}

	}

	@org.springframework.stereotype.Component("merchant")
	static class Merchant {

		@NotificationHandler("PAID")
		public void paid() {
		}

	}

}
