package io.dtx.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Compares, transaction by transaction, what each caller heard with what the database
 * holds, once it converged: the row of the coordinator's log and the business effects of
 * {@link FaultShop}. The rules:
 * <ul>
 * <li>the method threw: the caller hears that very exception, and the transaction is
 * cancelled (or was never recorded) with every tried branch undone;</li>
 * <li>the method returned: a caller told "success" finds it CONFIRMED, each branch applied
 * once; one told "cancelled" (a timeout exception) finds it CANCELLED with nothing
 * applied; one told "outcome unknown" may find either, consistent; any other exception is
 * one of dtx's making, and wrong.</li>
 * </ul>
 * Every problem is listed, and every combination of (method, heard, state) counted, so
 * that a failure says which false outcome callers heard and how often.
 */
final class Verdict {

	/**
	 * What a mode's branches write in {@code fault_effect}.
	 *
	 * @param branches the branches of one transaction
	 * @param forward the action of a try or a step
	 * @param finish the action of a confirm, or null where returning applies nothing more
	 * @param undo the action of a cancel or a compensation
	 */
	record Shape(List<String> branches, String forward, @Nullable String finish, String undo) {

		static final Shape TCC = new Shape(List.of("payment", "stock"), "TRY", "CONFIRM", "CANCEL");

		static final Shape SAGA = new Shape(List.of("charge", "reserve", "schedule"), "STEP", null, "UNDO");

	}

	private final List<String> problems = new ArrayList<>();

	private final Map<String, Integer> outcomes = new TreeMap<>();

	private final Map<String, String> states = new HashMap<>();

	private final Map<String, Integer> effects = new HashMap<>();

	private Verdict() {
	}

	static Verdict of(List<Call> calls, Shape shape, JdbcTemplate jdbc) {
		Verdict verdict = new Verdict();
		jdbc.query("select xid, state from dtx_global_transaction",
				(RowCallbackHandler) (row) -> verdict.states.put(row.getString(1), row.getString(2)));
		jdbc.query("select xid, branch, action, count(*) from fault_effect group by xid, branch, action",
				(RowCallbackHandler) (row) -> verdict.effects.put(row.getString(1) + "/" + row.getString(2) + "/" + row.getString(3),
						row.getInt(4)));
		for (Call call : calls) {
			verdict.judge(call, shape);
		}
		return verdict;
	}

	List<String> problems() {
		return this.problems;
	}

	@Nullable String state(@Nullable String xid) {
		return (xid != null) ? this.states.get(xid) : null;
	}

	/**
	 * Every combination of what the method did, what its caller heard and the state
	 * found, with how many calls had it; a wrong one is marked.
	 */
	String table() {
		StringBuilder table = new StringBuilder();
		this.outcomes.forEach((outcome, count) -> table.append(String.format("%6d  %s%n", count, outcome)));
		return table.toString();
	}

	private void judge(Call call, Shape shape) {
		String xid = call.xid();
		String state = (xid != null) ? this.states.getOrDefault(xid, "never recorded") : "no transaction";
		String wrong = wrong(call, state);
		if (wrong == null && xid != null) {
			wrong = wrongEffects(xid, state, shape);
		}
		String outcome = "method " + call.method() + " | caller heard " + call.heardDescription() + " | " + state;
		this.outcomes.merge((wrong != null) ? outcome + "   <-- WRONG" : outcome, 1, Integer::sum);
		if (wrong != null) {
			this.problems.add("call " + call.number() + " [" + xid + "]: " + wrong);
		}
	}

	private @Nullable String wrong(Call call, String state) {
		boolean cancelled = state.equals("CANCELLED") || state.equals("never recorded");
		if (!cancelled && !state.equals("CONFIRMED") && !state.equals("no transaction")) {
			return "not converged: " + state;
		}
		if (call.methodThrew()) {
			if (call.heardKind() != Call.Heard.OWN_EXCEPTION) {
				return "the method threw, its caller heard " + call.heardDescription() + " instead";
			}
			return cancelled ? null : "the method threw, yet the transaction is " + state;
		}
		return switch (call.heardKind()) {
			case SUCCESS -> state.equals("CONFIRMED") ? null : "its caller heard success, the transaction is " + state;
			case CANCELLED -> cancelled ? null : "its caller heard cancelled, the transaction is " + state;
			case OUTCOME_UNKNOWN -> null;
			default -> "its caller heard " + call.heardDescription() + " from dtx";
		};
	}

	// a CONFIRMED transaction applied each branch once; a cancelled one undid what it tried
	private @Nullable String wrongEffects(String xid, String state, Shape shape) {
		for (String branch : shape.branches()) {
			int forward = effect(xid, branch, shape.forward());
			int finish = (shape.finish() != null) ? effect(xid, branch, shape.finish()) : 0;
			int undo = effect(xid, branch, shape.undo());
			String counts = branch + " " + shape.forward() + "=" + forward + " " + shape.finish() + "=" + finish + " "
					+ shape.undo() + "=" + undo;
			boolean right = switch (state) {
				case "CONFIRMED" -> forward == 1 && finish == ((shape.finish() != null) ? 1 : 0) && undo == 0;
				case "CANCELLED" -> forward <= 1 && finish == 0 && undo == forward;
				default -> forward == 0 && finish == 0 && undo == 0;
			};
			if (!right) {
				return state + " but " + counts;
			}
		}
		return null;
	}

	private int effect(String xid, String branch, String action) {
		return this.effects.getOrDefault(xid + "/" + branch + "/" + action, 0);
	}

	/**
	 * The transactions in the log that no call began: none may exist.
	 */
	Set<String> strangers(List<Call> calls) {
		Set<String> strangers = new java.util.HashSet<>(this.states.keySet());
		calls.forEach((call) -> strangers.remove(call.xid()));
		return strangers;
	}

}
