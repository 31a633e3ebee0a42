package io.dtx.core;

import java.io.IOException;
import java.util.UUID;

import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * A checked exception of an intercepted method carried through a TransactionTemplate, as
 * dtx's interceptors do: the transaction rolls back and the caller gets the original.
 */
class InvocationFailureTests {

	private JdbcTemplate jdbc;

	private Work work;

	@BeforeEach
	void proxy() {
		DriverManagerDataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:invocation-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.execute("create table done (id int primary key)");
		TransactionTemplate transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
		ProxyFactory factory = new ProxyFactory(new Work() {

			@Override
			public String run(Throwable failure) throws Exception {
				InvocationFailureTests.this.jdbc.update("insert into done values (1)");
				if (failure instanceof Exception ex) {
					throw ex;
				}
				if (failure instanceof Error error) {
					throw error;
				}
				return "ran";
			}

		});
		factory.addAdvice((MethodInterceptor) (invocation) -> {
			try {
				return transaction.execute((status) -> InvocationFailure.proceed(invocation));
			}
			catch (RuntimeException | Error ex) {
				throw InvocationFailure.unwrap(ex);
			}
		});
		this.work = (Work) factory.getProxy();
	}

	@Test
	void returnValuePassesThroughAndCommits() throws Exception {
		assertThat(this.work.run(null)).isEqualTo("ran");
		assertThat(rows()).isOne();
	}

	@Test
	void checkedExceptionRollsBackAndReachesTheCallerUnchanged() {
		IOException failure = new IOException("disk full");
		assertThatIOException().isThrownBy(() -> this.work.run(failure)).isSameAs(failure);
		assertThat(rows()).as("rolled back").isZero();
	}

	@Test
	void runtimeExceptionIsNotWrapped() {
		IllegalStateException failure = new IllegalStateException("refused");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.work.run(failure))
			.isSameAs(failure);
		assertThat(rows()).isZero();
	}

	@Test
	void errorIsNotWrapped() {
		AssertionError failure = new AssertionError("bug");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.work.run(failure)).isSameAs(failure);
		assertThat(rows()).isZero();
	}

	@Test
	void unwrapLeavesOtherExceptionsAlone() {
		IllegalStateException other = new IllegalStateException("x");
		assertThat(InvocationFailure.unwrap(other)).isSameAs(other);
	}

	private int rows() {
		return this.jdbc.queryForObject("select count(*) from done", Integer.class);
	}

	interface Work {

		String run(Throwable failure) throws Exception;

	}

}
