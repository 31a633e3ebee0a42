package io.dtx.faults;

import java.util.function.Consumer;

import javax.sql.DataSource;

import io.dtx.core.BranchContext;
import io.dtx.core.GlobalTransactionContext;
import io.dtx.saga.Saga;
import io.dtx.saga.SagaStep;
import io.dtx.tcc.Cancel;
import io.dtx.tcc.Confirm;
import io.dtx.tcc.TccTransaction;
import io.dtx.tcc.TccTry;
import io.dtx.test.CommitFaults;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A shop on hot rows (one account, one item) whose orders are a TCC transaction of two
 * local branches or a saga of three steps. Each business change also writes a row of
 * {@code fault_effect} (transaction id, branch, action) in its own local transaction, so
 * that a test can count, per transaction, what was applied. Each order's method records
 * its transaction id and whether it returned or threw, and arms the commit fault its call
 * asks for just before it ends, so that the fault hits the decision that follows.
 */
final class FaultShop {

	static final int OPENING_BALANCE = 1_000_000;

	static final int OPENING_STOCK = 1_000_000;

	private FaultShop() {
	}

	static void createTables(JdbcTemplate jdbc) {
		jdbc.execute("create table fault_account (name varchar(20) primary key, balance int not null,"
				+ " frozen int not null)");
		jdbc.execute("create table fault_stock (item varchar(20) primary key, available int not null,"
				+ " reserved int not null)");
		jdbc.execute("create table fault_delivery (xid varchar(64) primary key)");
		// no key: a change applied twice shows as two rows
		jdbc.execute("create table fault_effect (xid varchar(64) not null, branch varchar(20) not null,"
				+ " action varchar(20) not null)");
		jdbc.update("insert into fault_account values ('alice', ?, 0)", OPENING_BALANCE);
		jdbc.update("insert into fault_stock values ('widget', ?, 0)", OPENING_STOCK);
	}

	// the commit fault hits the decision that follows the order's method, whichever way it ended
	private static void place(Call call, CommitFaults faults, Consumer<String> branches) {
		String xid = GlobalTransactionContext.current().xid();
		call.began(xid);
		try {
			branches.accept(xid);
			if (call.failsOnPurpose()) {
				throw new Call.OrderRefusedException(call.number());
			}
		}
		catch (RuntimeException ex) {
			arm(faults, call);
			throw call.methodThrew(ex);
		}
		arm(faults, call);
		call.methodReturned();
	}

	private static void arm(CommitFaults faults, Call call) {
		if (call.fault() != null) {
			faults.arm(call.fault(), CommitFaults.DECISION, call.xid());
		}
	}

	/**
	 * A branch's bean: each business change goes with its row of {@code fault_effect}, in
	 * the same local transaction.
	 */
	abstract static class Branch {

		private final JdbcTemplate jdbc;

		Branch(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		void change(String xid, String branch, String action, String sql, Object... args) {
			this.jdbc.update(sql, args);
			this.jdbc.update("insert into fault_effect (xid, branch, action) values (?, ?, ?)", xid, branch, action);
		}

	}

	static class TccPayment extends Branch {

		TccPayment(DataSource dataSource) {
			super(dataSource);
		}

		@TccTry("freeze")
		public void freeze(String xid, int amount) {
			change(xid, "payment", "TRY", "update fault_account set frozen = frozen + ? where name = 'alice'", amount);
		}

		@Confirm("freeze")
		public void charge(String xid, int amount, BranchContext branch) {
			change(branch.xid(), "payment", "CONFIRM",
					"update fault_account set balance = balance - ?, frozen = frozen - ? where name = 'alice'", amount,
					amount);
		}

		@Cancel("freeze")
		public void unfreeze(String xid, int amount, BranchContext branch) {
			change(branch.xid(), "payment", "CANCEL",
					"update fault_account set frozen = frozen - ? where name = 'alice'", amount);
		}

	}

	static class TccStock extends Branch {

		TccStock(DataSource dataSource) {
			super(dataSource);
		}

		@TccTry("reserve")
		public void reserve(String xid, int quantity) {
			change(xid, "stock", "TRY", "update fault_stock set reserved = reserved + ? where item = 'widget'",
					quantity);
		}

		@Confirm("reserve")
		public void take(String xid, int quantity, BranchContext branch) {
			change(branch.xid(), "stock", "CONFIRM",
					"update fault_stock set available = available - ?, reserved = reserved - ? where item = 'widget'",
					quantity, quantity);
		}

		@Cancel("reserve")
		public void release(String xid, int quantity, BranchContext branch) {
			change(branch.xid(), "stock", "CANCEL",
					"update fault_stock set reserved = reserved - ? where item = 'widget'", quantity);
		}

	}

	static class TccOrders {

		private final TccPayment payment;

		private final TccStock stock;

		private final CommitFaults faults;

		TccOrders(TccPayment payment, TccStock stock, CommitFaults faults) {
			this.payment = payment;
			this.stock = stock;
			this.faults = faults;
		}

		// the deadline leaves room for an outage of a few seconds and the restart after it
		@TccTransaction(name = "fault-order", timeout = "10s")
		public void place(Call call) {
			FaultShop.place(call, this.faults, (xid) -> {
				this.payment.freeze(xid, call.amount());
				this.stock.reserve(xid, call.quantity());
			});
		}

	}

	static class SagaPayment extends Branch {

		SagaPayment(DataSource dataSource) {
			super(dataSource);
		}

		@SagaStep(compensate = "refund")
		public void charge(String xid, int amount) {
			change(xid, "charge", "STEP", "update fault_account set balance = balance - ? where name = 'alice'",
					amount);
		}

		public void refund(String xid, int amount) {
			change(xid, "charge", "UNDO", "update fault_account set balance = balance + ? where name = 'alice'",
					amount);
		}

	}

	static class SagaStock extends Branch {

		SagaStock(DataSource dataSource) {
			super(dataSource);
		}

		@SagaStep(compensate = "release")
		public void reserve(String xid, int quantity) {
			change(xid, "reserve", "STEP", "update fault_stock set available = available - ? where item = 'widget'",
					quantity);
		}

		public void release(String xid, int quantity) {
			change(xid, "reserve", "UNDO", "update fault_stock set available = available + ? where item = 'widget'",
					quantity);
		}

	}

	static class SagaDelivery extends Branch {

		SagaDelivery(DataSource dataSource) {
			super(dataSource);
		}

		@SagaStep(compensate = "cancel")
		public void schedule(String xid) {
			change(xid, "schedule", "STEP", "insert into fault_delivery (xid) values (?)", xid);
		}

		public void cancel(String xid) {
			change(xid, "schedule", "UNDO", "delete from fault_delivery where xid = ?", xid);
		}

	}

	static class SagaOrders {

		private final SagaPayment payment;

		private final SagaStock stock;

		private final SagaDelivery delivery;

		private final CommitFaults faults;

		SagaOrders(SagaPayment payment, SagaStock stock, SagaDelivery delivery, CommitFaults faults) {
			this.payment = payment;
			this.stock = stock;
			this.delivery = delivery;
			this.faults = faults;
		}

		// a deadline well past the convergence bound: a saga compensated only at its
		// deadline shows as not converged
		@Saga(name = "fault-saga", timeout = "60s")
		public void place(Call call) {
			FaultShop.place(call, this.faults, (xid) -> {
				this.payment.charge(xid, call.amount());
				this.stock.reserve(xid, call.quantity());
				this.delivery.schedule(xid);
			});
		}

	}

}
