package io.dtx.aop;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Arguments written into a fence row and read back by the method's parameter types, as
 * recovery does when it has only the row.
 */
class ArgumentCodecTests {

	private final ArgumentCodec codec = new ArgumentCodec(new JsonMapper());

	@Test
	void plainValuesRoundTrip() {
		Method method = method("plain");
		Object[] arguments = { "widget", 3, 42L, true, new BigDecimal("12.5") };
		assertThat(roundTrip(method, arguments)).containsExactly("widget", 3, 42L, true, new BigDecimal("12.5"));
	}

	@Test
	void recordsRoundTrip() {
		Method method = method("order");
		Order order = new Order("o-1", new Item("widget", 2), Instant.parse("2026-01-02T03:04:05Z"));
		assertThat(roundTrip(method, new Object[] { order })).containsExactly(order);
	}

	@Test
	void genericCollectionsComeBackWithTheirElementTypes() {
		Method method = method("generic");
		List<Item> items = List.of(new Item("a", 1), new Item("b", 2));
		Map<String, BigDecimal> prices = Map.of("a", new BigDecimal("1.5"));
		Object[] decoded = roundTrip(method, new Object[] { items, prices });
		assertThat(decoded[0]).isEqualTo(items);
		assertThat(((List<?>) decoded[0]).get(0)).as("an Item, not a map").isInstanceOf(Item.class);
		assertThat(decoded[1]).isEqualTo(prices);
		assertThat(((Map<?, ?>) decoded[1]).get("a")).isInstanceOf(BigDecimal.class);
	}

	@Test
	void nullArgumentsStayNull() {
		Method method = method("plain");
		Object[] arguments = { null, 3, null, false, null };
		assertThat(roundTrip(method, arguments)).containsExactly(null, 3, null, false, null);
	}

	@Test
	void noRowArgumentsGiveNullsOfTheAskedCount() {
		assertThat(this.codec.decode(null, method("plain"), 5)).hasSize(5).containsOnlyNulls();
	}

	@Test
	void onlyTheAskedCountIsRead() {
		// a confirm may declare BranchContext after the try's own parameters
		Method method = method("plain");
		String json = this.codec.encode(new Object[] { "widget", 3, 42L, true, BigDecimal.ONE });
		assertThat(this.codec.decode(json, method, 2)).containsExactly("widget", 3);
	}

	@Test
	void aShorterArrayLeavesTheRestNull() {
		assertThat(this.codec.decode("[\"widget\"]", method("plain"), 3)).containsExactly("widget", null, null);
	}

	@Test
	void encodedArgumentsAreAJsonArray() {
		assertThat(this.codec.encode(new Object[] { "a", 1, null })).isEqualTo("[\"a\",1,null]");
		assertThat(this.codec.encode(new Object[0])).isEqualTo("[]");
	}

	@Test
	void aValueRoundTripsByItsGenericType() {
		List<Item> result = List.of(new Item("a", 1));
		String json = this.codec.encodeValue(result);
		Object decoded = this.codec.decodeValue(json, ResolvableType.forClassWithGenerics(List.class, Item.class).getType());
		assertThat(decoded).isEqualTo(result);
		assertThat(((List<?>) decoded).get(0)).isInstanceOf(Item.class);
	}

	@Test
	void aNullValueRoundTrips() {
		assertThat(this.codec.encodeValue(null)).isEqualTo("null");
		assertThat(this.codec.decodeValue("null", Item.class)).isNull();
		assertThat(this.codec.decodeValue(null, Item.class)).as("no result column").isNull();
	}

	@Test
	void aStepResultDecodesByTheMethodsGenericReturnType() {
		Method method = method("step");
		Item item = new Item("z", 9);
		Object decoded = this.codec.decodeValue(this.codec.encodeValue(List.of(item)), method.getGenericReturnType());
		assertThat(decoded).isEqualTo(List.of(item));
	}

	@Test
	void malformedJsonFailsWithAJacksonErrorSayingWhere() {
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> this.codec.decode("[\"widget\", 3", method("plain"), 2))
			.withMessageContaining("Unexpected end-of-input");
	}

	@Test
	void anArgumentOfTheWrongTypeFailsNamingTheType() {
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> this.codec.decode("[\"widget\", \"three\"]", method("plain"), 2))
			.withMessageContaining("`int`")
			.withMessageContaining("\"three\"");
	}

	@Test
	void malformedValueFailsToo() {
		assertThatExceptionOfType(JacksonException.class).isThrownBy(() -> this.codec.decodeValue("{\"sku\":", Item.class));
	}

	@Test
	void aDecimalValueKeepsEveryDigit() {
		BigDecimal amount = new BigDecimal("12345678901234567.89");
		assertThat(this.codec.decodeValue(this.codec.encodeValue(amount), BigDecimal.class)).isEqualTo(amount);
	}

	@Test
	void aDecimalArgumentKeepsEveryDigitAndItsScale() {
		Method method = method("plain");
		BigDecimal amount = new BigDecimal("12345678901234567.89");
		assertThat(roundTrip(method, new Object[] { "w", 1, 1L, true, amount })[4]).isEqualTo(amount);
		assertThat(roundTrip(method, new Object[] { "w", 1, 1L, true, new BigDecimal("12.50") })[4])
			.isEqualTo(new BigDecimal("12.50"));
	}

	private Object[] roundTrip(Method method, Object[] arguments) {
		return this.codec.decode(this.codec.encode(arguments), method, arguments.length);
	}

	private static Method method(String name) {
		return ReflectionUtils.findMethod(Actions.class, name, (Class<?>[]) null);
	}

	record Item(String sku, int quantity) {
	}

	record Order(String id, Item item, Instant placedAt) {
	}

	interface Actions {

		void plain(String sku, int quantity, Long id, boolean express, BigDecimal price);

		void order(Order order);

		void generic(List<Item> items, Map<String, BigDecimal> prices);

		List<Item> step(String sku);

	}

}
