package io.dtx.samples.sagashop.order;

import io.dtx.saga.Saga;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * Places an order as a saga: create the order, charge the payment, take the items from
 * stock, schedule the delivery, each step committed at once in its own service. When a
 * step is refused, dtx compensates those done before, in reverse: the delivery is
 * cancelled, the items put back, the payment refunded, the order marked FAILED.
 */
@Service
public class OrderService {

	private final OrderBook orders;

	private final RestClient payment;

	private final RestClient stock;

	private final RestClient delivery;

	// Spring Boot's builder carries dtx's interceptor: it enlists each service called and passes the saga on
	OrderService(OrderBook orders, RestClient.Builder restClient, @Value("${shop.payment.url}") String paymentUrl,
			@Value("${shop.stock.url}") String stockUrl, @Value("${shop.delivery.url}") String deliveryUrl) {
		this.orders = orders;
		this.payment = restClient.clone().baseUrl(paymentUrl).build();
		this.stock = restClient.clone().baseUrl(stockUrl).build();
		this.delivery = restClient.clone().baseUrl(deliveryUrl).build();
	}

	/**
	 * Orders {@code quantity} x {@code item} for {@code amount}, paid by {@code account};
	 * returns the order's id.
	 * @throws OrderRefusedException when a service refuses: every step done is compensated
	 */
	@Saga(name = "order-saga", timeout = "10s")
	public long placeOrder(String item, int quantity, String account, int amount) {
		long order = this.orders.create(item, quantity, account, amount);
		call(this.payment, "payment", "/charges", new Charge(order, account, amount));
		call(this.stock, "stock", "/reservations", new Reservation(item, quantity));
		call(this.delivery, "delivery", "/deliveries", new Delivery(order, item));
		this.orders.confirm(order);
		return order;
	}

	private static void call(RestClient service, String name, String path, Object body) {
		try {
			service.post().uri(path).body(body).retrieve().toBodilessEntity();
		}
		catch (HttpClientErrorException.Conflict ex) {
			ProblemDetail problem = ex.getResponseBodyAs(ProblemDetail.class);
			String detail = (problem != null) ? problem.getDetail() : null;
			throw new OrderRefusedException(name, (detail != null) ? detail : ex.getStatusText());
		}
	}

	record Charge(long order, String account, int amount) {

	}

	record Reservation(String item, int quantity) {

	}

	record Delivery(long order, String item) {

	}

}
