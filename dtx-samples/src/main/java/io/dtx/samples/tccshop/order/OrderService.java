package io.dtx.samples.tccshop.order;

import io.dtx.tcc.TccTransaction;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * Places orders across two services in one TCC transaction: the payment service freezes
 * the price, the stock service reserves the items. When both succeed, dtx confirms both
 * (the funds are charged, the items taken); when either fails, it cancels both.
 */
@Service
public class OrderService {

	private final RestClient payment;

	private final RestClient stock;

	// Spring Boot's builder carries dtx's interceptor: it enlists each service called and passes the transaction on
	OrderService(RestClient.Builder restClient, @Value("${shop.payment.url}") String paymentUrl,
			@Value("${shop.stock.url}") String stockUrl) {
		this.payment = restClient.clone().baseUrl(paymentUrl).build();
		this.stock = restClient.clone().baseUrl(stockUrl).build();
	}

	/**
	 * Freezes {@code amount} of {@code account}'s funds and reserves {@code quantity} x
	 * {@code item}; both are kept once this method returns.
	 * @throws OrderRefusedException when a service refuses: then neither keeps anything
	 */
	@TccTransaction(name = "place-order", timeout = "10s")
	public void placeOrder(String item, int quantity, String account, int amount) {
		// the funds first, on purpose: a refusal of the stock must then undo a branch that another service has tried
		call(this.payment, "payment", "/freezes", new Freeze(account, amount));
		call(this.stock, "stock", "/reservations", new Reservation(item, quantity));
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

	/**
	 * The body of the payment service's {@code POST /freezes}.
	 */
	record Freeze(String account, int amount) {

	}

	/**
	 * The body of the stock service's {@code POST /reservations}.
	 */
	record Reservation(String item, int quantity) {

	}

}
