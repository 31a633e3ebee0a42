package io.dtx.samples.services;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Services of a demo, each a Spring Boot application context with its own database and
 * port, configured by a file the demo's services share and one of its own.
 */
public final class Services {

	private Services() {
	}

	/**
	 * Starts a service that reads {@code sharedConfig} and {@code configName} (and never
	 * the XA demo's application.yml), with the given properties, and adds it to
	 * {@code started} so that the caller can stop every service started so far.
	 */
	public static ConfigurableApplicationContext start(List<ConfigurableApplicationContext> started,
			Class<?> application, String sharedConfig, String configName, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.properties("spring.config.name=" + sharedConfig + "," + configName)
			.properties(properties)
			.run();
		started.add(context);
		return context;
	}

	public static String url(ConfigurableApplicationContext service) {
		return "http://localhost:" + port(service);
	}

	/**
	 * A port no one listens on now, for a service the demo starts later at an address it
	 * gives out before: below 32768, where neither Linux nor IANA puts the ports a kernel
	 * hands out by itself, so that no outgoing connection takes it in the meantime.
	 */
	public static int freePort() {
		for (int attempt = 0; attempt < 1000; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(10000, 32768);
			try (ServerSocket socket = new ServerSocket(port)) {
				return port;
			}
			catch (IOException ex) {
				// taken: try another
			}
		}
		throw new IllegalStateException("no free port in 10000-32767");
	}

	public static String port(ConfigurableApplicationContext service) {
		return service.getEnvironment().getRequiredProperty("local.server.port");
	}

	/**
	 * Reads a service's database directly, as the demos' reports do.
	 */
	public static JdbcTemplate database(ConfigurableApplicationContext service) {
		return new JdbcTemplate(service.getBean(DataSource.class));
	}

	/**
	 * Reads what a demo waits for until it has settled, and returns it; throws with the
	 * last reading once {@code timeout} has passed. The demos poll their services'
	 * databases: what they wait for happens on other threads, in other services.
	 */
	public static <T> T awaitSettled(String what, Duration timeout, Supplier<T> read, Predicate<T> settled) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			T reading = read.get();
			if (settled.test(reading)) {
				return reading;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(what + " did not settle within " + timeout + ": " + reading);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
