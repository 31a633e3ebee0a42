package io.dtx.samples.commandshop.stock;

import io.dtx.samples.commandshop.ShopCommands;
import io.dtx.samples.commandshop.ShopCommands.Release;
import io.dtx.samples.commandshop.ShopCommands.Reserve;
import io.dtx.saga.orchestration.SagaCommandHandler;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Takes items from the stock and puts them back; a reservation the stock cannot serve
 * throws, which dtx sends to the orchestrator as the failure reply.
 */
@Component
class StockHandlers {

	private final JdbcTemplate jdbc;

	StockHandlers(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	@SagaCommandHandler(ShopCommands.STOCK)
	void reserve(Reserve reserve) {
		int taken = this.jdbc.update("update stock set available = available - ? where item = ? and available >= ?",
				reserve.quantity(), reserve.item(), reserve.quantity());
		if (taken == 0) {
			throw new OutOfStockException(reserve.item(), reserve.quantity());
		}
	}

	@SagaCommandHandler(ShopCommands.STOCK)
	void release(Release release) {
		this.jdbc.update("update stock set available = available + ? where item = ?", release.quantity(),
				release.item());
	}

	/**
	 * The stock holds fewer than the order asks for.
	 */
	static class OutOfStockException extends RuntimeException {

		OutOfStockException(String item, int quantity) {
			super("out of stock: " + quantity + " x " + item);
		}

	}

}
