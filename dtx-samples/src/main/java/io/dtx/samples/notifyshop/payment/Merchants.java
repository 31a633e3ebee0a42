package io.dtx.samples.notifyshop.payment;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.dtx.notify.NotificationEndpoint;
import io.dtx.notify.NotificationEndpoints;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The merchants the payment service notifies, in its own {@code merchant} table: each
 * notification's endpoint is looked up when it is sent, so a merchant's new URL holds for
 * notifications already written.
 */
@Component
public class Merchants implements NotificationEndpoints {

	private final JdbcTemplate jdbc;

	Merchants(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Registers a merchant, or changes where its notifications go.
	 * @param schedule its retry schedule ({@code 200ms,1s}), {@code null} for the service's
	 */
	public void register(String merchant, String notifyUrl, String secret, @Nullable String schedule) {
		if (this.jdbc.update("update merchant set notify_url = ?, secret = ?, schedule = ? where id = ?", notifyUrl,
				secret, schedule, merchant) == 0) {
			this.jdbc.update("insert into merchant (id, notify_url, secret, schedule) values (?, ?, ?, ?)", merchant,
					notifyUrl, secret, schedule);
		}
	}

	@Override
	public @Nullable NotificationEndpoint find(String name) {
		List<NotificationEndpoint> found = this.jdbc.query(
				"select notify_url, secret, schedule from merchant where id = ?",
				(row, index) -> new NotificationEndpoint(URI.create(row.getString(1)), row.getString(2),
						schedule(row.getString(3)), null),
				name);
		return found.isEmpty() ? null : found.get(0);
	}

	private static @Nullable List<Duration> schedule(@Nullable String schedule) {
		return (schedule != null)
				? Arrays.stream(schedule.split(",")).map(String::trim).map(DurationStyle::detectAndParse).toList()
				: null;
	}

}
