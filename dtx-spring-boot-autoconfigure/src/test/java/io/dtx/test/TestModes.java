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
		return named(name, (xid, branchId, confirm) -> {
			throw new UnsupportedOperationException();
		});
	}

	/**
	 * A mode that does only one thing: complete a branch a caller opened here.
	 */
	public static TransactionMode named(String name, RemoteCompletion remoteCompletion) {
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
				remoteCompletion.complete(xid, branchId, confirm);
			}

		};
	}

	/**
	 * What a test mode does with a phase two asked for through the endpoint.
	 */
	public interface RemoteCompletion {

		void complete(String xid, String branchId, boolean confirm);

	}

}
