package io.dtx.tcc.crash;

import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a crash-test service from its {@code main} method, configured by its command-line
 * properties alone, and says on its standard output once it serves requests.
 */
public final class ServiceMain {

	private ServiceMain() {
	}

	/**
	 * The line a service prints once it is started.
	 */
	public static String started(String applicationName) {
		return "TCC-CRASH-SERVICE started: " + applicationName;
	}

	public static void run(Class<?> application, String[] args) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application).bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(args);
		System.out.println(started(context.getEnvironment().getRequiredProperty("spring.application.name")));
		System.out.flush();
	}

}
