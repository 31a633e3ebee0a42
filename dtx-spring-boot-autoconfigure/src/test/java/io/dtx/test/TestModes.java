package io.dtx.test;

import java.time.Duration;
import java.util.Arrays;

import io.dtx.coordinator.GlobalTransactionLog;
import io.dtx.coordinator.TransactionMode;
import io.dtx.coordinator.TransactionModes;
import io.dtx.core.GlobalTransaction;

/**
 * Registered modes that have only a name, for tests of what dispatches by it.
 */
public final class TestModes {

	private TestModes() {
	}

	public static TransactionModes named(String... names) {
		return new TransactionModes(Arrays.stream(names).map(TestModes::named).toList());
	}

	public static TransactionMode named(String name) {
		return new TransactionMode() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public GlobalTransaction begin(String transactionName, Duration timeout) {
				throw new UnsupportedOperationException();
			}

			@Override
			public void commit(GlobalTransaction transaction) {
				throw new UnsupportedOperationException();
			}

			@Override
			public void rollback(GlobalTransaction transaction) {
				throw new UnsupportedOperationException();
			}

			@Override
			public void complete(GlobalTransactionLog.Entry entry) {
				throw new UnsupportedOperationException();
			}

			@Override
			public void completeRemoteBranch(String xid, String branchId, boolean confirm) {
				throw new UnsupportedOperationException();
			}

		};
	}

}
