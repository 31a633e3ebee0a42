package io.dtx.outbox.crash;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A service that only relays its outbox, configured by command-line properties, for the
 * test that kills it in the middle of a batch.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class RelayMain {

	public static void main(String[] args) {
		new SpringApplicationBuilder(RelayMain.class).bannerMode(Banner.Mode.OFF).logStartupInfo(false).run(args);
	}

}
