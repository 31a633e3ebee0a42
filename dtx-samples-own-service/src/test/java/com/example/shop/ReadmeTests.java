package com.example.shop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Your own service" is this module: each block marked
 * {@code <!-- own-service:path -->} is the file at that path, to the byte, and every file of
 * the module's sources is shown there, so the README cannot drift from what is built and
 * tested.
 */
class ReadmeTests {

	private static final Pattern BLOCK = Pattern
		.compile("<!-- own-service:(\\S+) -->\\s*\\n```[a-z]*\\n(.*?)```\\n", Pattern.DOTALL);

	@Test
	void everyBlockIsTheModulesFile() throws IOException {
		Map<String, String> blocks = blocks();
		assertThat(blocks).containsOnlyKeys("pom.xml", "src/main/java/com/example/shop/ShopApplication.java",
				"src/main/java/com/example/shop/Stock.java", "src/main/java/com/example/shop/Orders.java",
				"src/main/resources/application.yml", "src/main/resources/schema.sql",
				"src/test/java/com/example/shop/TestShopApplication.java");
		blocks.forEach((path, block) -> assertThat(block).as(path).isEqualTo(read(Path.of(path))));
	}

	private static Map<String, String> blocks() throws IOException {
		Matcher matcher = BLOCK.matcher(Files.readString(Path.of("../README.md")));
		Map<String, String> blocks = new LinkedHashMap<>();
		while (matcher.find()) {
			blocks.put(matcher.group(1), matcher.group(2));
		}
		return blocks;
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
