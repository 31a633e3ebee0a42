package io.dtx.xa;

import java.nio.file.Path;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.dtx.autoconfigure.DtxXaAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Atomikos's start shows its registration banner once (the logged one) and no line of
 * its logging probe.
 */
@ExtendWith(OutputCaptureExtension.class)
class AtomikosConsoleTests {

	private static final String BANNER = "Thanks for using Atomikos! This installation is not registered yet.";

	@TempDir
	Path logDir;

	private final Logger atomikos = (Logger) LoggerFactory.getLogger("com.atomikos");

	private Level level;

	@BeforeEach
	void logAtomikosWarnings() {
		// the tests' logging configuration keeps Atomikos at ERROR; an application's shows its warnings
		this.level = this.atomikos.getLevel();
		this.atomikos.setLevel(Level.WARN);
	}

	@AfterEach
	void restoreLevel() {
		this.atomikos.setLevel(this.level);
	}

	@Test
	void bannerAtMostOnceAndNoProbeLine(CapturedOutput output) {
		String database = UUID.randomUUID().toString();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DtxXaAutoConfiguration.class))
			.withPropertyValues("dtx.xa.log-dir=" + this.logDir,
					"dtx.xa.datasources.orders.url=jdbc:h2:mem:orders-" + database,
					"dtx.xa.datasources.orders.primary=true",
					"dtx.xa.datasources.stock.url=jdbc:h2:mem:stock-" + database)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				new JdbcTemplate(context.getBean("orders", javax.sql.DataSource.class)).queryForObject("select 1",
						Integer.class);
			});
		assertThat(output.getAll().split(java.util.regex.Pattern.quote(BANNER), -1)).hasSizeLessThanOrEqualTo(2);
		assertThat(output.getAll()).doesNotContain("StaticLoggerBinder");
	}

	@Test
	void otherLinesPassUnchanged(CapturedOutput output) {
		AtomikosConsole.quietly(() -> {
			System.out.println("kept");
			System.out.println(BANNER + "\nREGISTER FOR FREE");
			System.out.print("kept too\n");
		});
		assertThat(output.getOut()).contains("kept\n").contains("kept too\n").doesNotContain("REGISTER");
	}

}
