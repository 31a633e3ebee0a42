package io.dtx.faults;

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

	private static void effect(JdbcTemplate jdbc, String xid, String branch, String action) {
		jdbc.update("insert into fault_effect (xid, branch, action) values (?, ?, ?)", xid, branch, action);
	}

	private static void arm(CommitFaults faults, Call call) {
		if (call.fault() != null) {
			faults.arm(call.fault(), CommitFaults.DECISION, call.xid());
		}
	}

	static class TccPayment {

		private final JdbcTemplate jdbc;

		TccPayment(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@TccTry("freeze")
		public void freeze(String xid, int amount) {
			this.jdbc.update("update fault_account set frozen = frozen + ? where name = 'alice'", amount);
			effect(this.jdbc, xid, "payment", "TRY");
		}

		@Confirm("freeze")
		public void charge(String xid, int amount, BranchContext branch) {
			this.jdbc.update("update fault_account set balance = balance - ?, frozen = frozen - ? where name = 'alice'",
					amount, amount);
			effect(this.jdbc, branch.xid(), "payment", "CONFIRM");
		}

		@Cancel("freeze")
		public void unfreeze(String xid, int amount, BranchContext branch) {
			this.jdbc.update("update fault_account set frozen = frozen - ? where name = 'alice'", amount);
			effect(this.jdbc, branch.xid(), "payment", "CANCEL");
		}

	}

	static class TccStock {

		private final JdbcTemplate jdbc;

		TccStock(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@TccTry("reserve")
		public void reserve(String xid, int quantity) {
			this.jdbc.update("update fault_stock set reserved = reserved + ? where item = 'widget'", quantity);
			effect(this.jdbc, xid, "stock", "TRY");
		}

		@Confirm("reserve")
		public void take(String xid, int quantity, BranchContext branch) {
			this.jdbc.update("update fault_stock set available = available - ?, reserved = reserved - ?"
					+ " where item = 'widget'", quantity, quantity);
			effect(this.jdbc, branch.xid(), "stock", "CONFIRM");
		}

		@Cancel("reserve")
		public void release(String xid, int quantity, BranchContext branch) {
			this.jdbc.update("update fault_stock set reserved = reserved - ? where item = 'widget'", quantity);
			effect(this.jdbc, branch.xid(), "stock", "CANCEL");
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
			String xid = GlobalTransactionContext.current().xid();
			call.began(xid);
			try {
				this.payment.freeze(xid, call.amount());
				this.stock.reserve(xid, call.quantity());
				if (call.failsOnPurpose()) {
					throw new Call.OrderRefusedException(call.number());
				}
			}
			catch (RuntimeException ex) {
				arm(this.faults, call);
				throw call.methodThrew(ex);
			}
			arm(this.faults, call);
			call.methodReturned();
		}

	}

	static class SagaPayment {

		private final JdbcTemplate jdbc;

		SagaPayment(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@SagaStep(compensate = "refund")
		public void charge(String xid, int amount) {
			this.jdbc.update("update fault_account set balance = balance - ? where name = 'alice'", amount);
			effect(this.jdbc, xid, "charge", "STEP");
		}

		public void refund(String xid, int amount) {
			this.jdbc.update("update fault_account set balance = balance + ? where name = 'alice'", amount);
			effect(this.jdbc, xid, "charge", "UNDO");
		}

	}

	static class SagaStock {

		private final JdbcTemplate jdbc;

		SagaStock(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@SagaStep(compensate = "release")
		public void reserve(String xid, int quantity) {
			this.jdbc.update("update fault_stock set available = available - ? where item = 'widget'", quantity);
			effect(this.jdbc, xid, "reserve", "STEP");
		}

		public void release(String xid, int quantity) {
			this.jdbc.update("update fault_stock set available = available + ? where item = 'widget'", quantity);
			effect(this.jdbc, xid, "reserve", "UNDO");
		}

	}

	static class SagaDelivery {

		private final JdbcTemplate jdbc;

		SagaDelivery(DataSource dataSource) {
			this.jdbc = new JdbcTemplate(dataSource);
		}

		@SagaStep(compensate = "cancel")
		public void schedule(String xid) {
			this.jdbc.update("insert into fault_delivery (xid) values (?)", xid);
			effect(this.jdbc, xid, "schedule", "STEP");
		}

		public void cancel(String xid) {
			this.jdbc.update("delete from fault_delivery where xid = ?", xid);
			effect(this.jdbc, xid, "schedule", "UNDO");
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
			String xid = GlobalTransactionContext.current().xid();
			call.began(xid);
			try {
				this.payment.charge(xid, call.amount());
				this.stock.reserve(xid, call.quantity());
				this.delivery.schedule(xid);
				if (call.failsOnPurpose()) {
					throw new Call.OrderRefusedException(call.number());
				}
			}
			catch (RuntimeException ex) {
				arm(this.faults, call);
				throw call.methodThrew(ex);
			}
			arm(this.faults, call);
			call.methodReturned();
		}

	}

}
