package com.example.shop;

import org.springframework.boot.SpringApplication;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The shop against a Kafka broker in the same JVM: {@code ./mvnw spring-boot:test-run}.
 */
public class TestShopApplication {

	public static void main(String[] args) {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "orders");
		broker.afterPropertiesSet(); // starts it and sets spring.embedded.kafka.brokers
		SpringApplication.from(ShopApplication::main).run(args);
	}

}
