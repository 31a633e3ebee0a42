package io.dtx.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.dtx.test.Pools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An insert that says whether its key was new, on each database: in sequence, inside a
 * transaction that must go on after a duplicate, and against a concurrent insert of the
 * same key. One subclass per database.
 */
abstract class InsertIfAbsentContractTests {

	private HikariDataSource dataSource;

	private JdbcTemplate jdbc;

	private TransactionTemplate local;

	private InsertIfAbsent insert;

	private ExecutorService threads;

	/** JDBC URL, user and password of an empty database. */
	abstract String[] emptyDatabase();

	/** How many sessions of this database wait for a row lock. */
	abstract String lockWaitersQuery();

	@BeforeEach
	void prepare() {
		this.dataSource = Pools.of(emptyDatabase(), 4);
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.jdbc.execute("create table absent_test (k1 varchar(32) not null, k2 varchar(32) not null, "
				+ "note varchar(32) not null, primary key (k1, k2))");
		this.jdbc.execute("create table absent_log (id int primary key)");
		this.local = new TransactionTemplate(new JdbcTransactionManager(this.dataSource));
		this.insert = new InsertIfAbsent(DtxTables.of(this.dataSource, "dtx_", Clock.systemUTC()), "absent_test", "k1, k2, note", "?, ?, ?");
		this.threads = Executors.newFixedThreadPool(2);
	}

	@AfterEach
	void close() throws InterruptedException {
		// null when the server was absent and the test skipped before they were made
		if (this.threads != null) {
			this.threads.shutdownNow();
			this.threads.awaitTermination(10, TimeUnit.SECONDS);
		}
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

	@Test
	void newKeyIsInserted() {
		assertThat(this.insert.insert("x1", "b1", "first")).isTrue();
		assertThat(notes()).containsExactly("x1 b1 first");
	}

	@Test
	void existingKeyIsLeftAsItWas() {
		assertThat(this.insert.insert("x1", "b1", "first")).isTrue();
		assertThat(this.insert.insert("x1", "b1", "second")).isFalse();
		assertThat(notes()).containsExactly("x1 b1 first");
	}

	@Test
	void keysDifferingInOnePartAreDistinct() {
		assertThat(this.insert.insert("x1", "b1", "a")).isTrue();
		assertThat(this.insert.insert("x1", "b2", "b")).isTrue();
		assertThat(this.insert.insert("x2", "b1", "c")).isTrue();
		assertThat(notes()).hasSize(3);
	}

	@Test
	void transactionGoesOnAfterADuplicate() {
		this.insert.insert("x1", "b1", "first");
		Boolean inserted = this.local.execute((status) -> {
			boolean again = this.insert.insert("x1", "b1", "second");
			// PostgreSQL aborts a transaction on any error: no error may have happened
			this.jdbc.update("insert into absent_log values (1)");
			return again;
		});
		assertThat(inserted).isFalse();
		assertThat(this.jdbc.queryForObject("select count(*) from absent_log", Integer.class)).isOne();
	}

	@Test
	void insertRolledBackWithItsTransactionLeavesTheKeyFree() {
		this.local.executeWithoutResult((status) -> {
			assertThat(this.insert.insert("x1", "b1", "rolled back")).isTrue();
			status.setRollbackOnly();
		});
		assertThat(this.insert.insert("x1", "b1", "kept")).isTrue();
		assertThat(notes()).containsExactly("x1 b1 kept");
	}

	@Test
	void concurrentInsertWaitsForTheFirstToCommitAndThenFindsTheKey() throws Exception {
		Future<Boolean> second = raceAgainstOpenInsert(true);
		assertThat(second.get(30, TimeUnit.SECONDS)).isFalse();
		assertThat(notes()).containsExactly("x1 b1 first");
	}

	@Test
	void concurrentInsertWaitsForTheFirstToRollBackAndThenInserts() throws Exception {
		Future<Boolean> second = raceAgainstOpenInsert(false);
		assertThat(second.get(30, TimeUnit.SECONDS)).isTrue();
		assertThat(notes()).containsExactly("x1 b1 second");
	}

	@Test
	void ofManyRacingInsertsOfOneKeyExactlyOneSucceeds() throws Exception {
		for (int round = 0; round < 50; round++) {
			String key = "k" + round;
			CountDownLatch start = new CountDownLatch(1);
			List<CompletableFuture<Boolean>> racers = List.of(racer(key, start), racer(key, start));
			start.countDown();
			List<Boolean> results = racers.stream().map((racer) -> racer.orTimeout(30, TimeUnit.SECONDS).join()).toList();
			assertThat(results).as("round " + round).containsExactlyInAnyOrder(true, false);
		}
		assertThat(notes()).hasSize(50);
	}

	@Test
	void nonKeyErrorsAreStillErrors() {
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.insert.insert("x1", "b1", null));
		assertThat(notes()).isEmpty();
	}

	private CompletableFuture<Boolean> racer(String key, CountDownLatch start) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				start.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			return this.local.execute((status) -> this.insert.insert(key, "b1", Thread.currentThread().getName()));
		}, this.threads);
	}

	// the first insert stays uncommitted until the second is seen waiting on its row lock
	private Future<Boolean> raceAgainstOpenInsert(boolean commitFirst) {
		CountDownLatch firstInserted = new CountDownLatch(1);
		CountDownLatch secondWaiting = new CountDownLatch(1);
		Future<?> first = this.threads.submit(() -> this.local.executeWithoutResult((status) -> {
			assertThat(this.insert.insert("x1", "b1", "first")).isTrue();
			firstInserted.countDown();
			try {
				assertThat(secondWaiting.await(30, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (!commitFirst) {
				status.setRollbackOnly();
			}
		}));
		Future<Boolean> second = this.threads.submit(() -> {
			firstInserted.await();
			return this.local.execute((status) -> this.insert.insert("x1", "b1", "second"));
		});
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.queryForObject(lockWaitersQuery(), Integer.class) > 0);
		secondWaiting.countDown();
		try {
			first.get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return second;
	}

	private List<String> notes() {
		return this.jdbc.query("select k1, k2, note from absent_test order by k1, k2",
				(rs, row) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
	}

}
