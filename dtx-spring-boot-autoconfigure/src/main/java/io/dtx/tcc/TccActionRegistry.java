package io.dtx.tcc;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import io.dtx.aop.ActionRegistry;
import io.dtx.aop.ArgumentCodec;
import io.dtx.aop.AnnotatedMethods;
import io.dtx.coordinator.PhaseTwo;
import io.dtx.core.BranchContext;
import io.dtx.core.DtxWiringException;
import io.dtx.fence.BranchFence;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

import static io.dtx.aop.AnnotatedMethods.describe;
import static io.dtx.aop.AnnotatedMethods.parameters;

/**
 * Every TCC action of the application, found and checked once all beans exist: a try
 * without its confirm or cancel, or with parameters that differ, stops the application
 * with a message that names the bean and the method.
 */
public class TccActionRegistry extends ActionRegistry<TccAction> {

	public TccActionRegistry(ConfigurableListableBeanFactory beanFactory, ArgumentCodec codec) {
		super(beanFactory, codec, "TCC action");
	}

	/**
	 * Runs a branch's confirm or cancel.
	 */
	void complete(String xid, PhaseTwo.Branch branch, boolean confirm) {
		TccAction action = forKey(branch.action());
		BranchContext context = new BranchContext(xid, branch.branchId(), action.key());
		if (confirm) {
			action.confirm(bean(action), branch.arguments(), context);
		}
		else {
			action.cancel(bean(action), branch.arguments(), context);
		}
	}

	PhaseTwo.Branch decode(BranchFence.TriedBranch tried) {
		return new PhaseTwo.Branch(tried.branchId(), tried.action(), arguments(forKey(tried.action()), tried.arguments()),
				null);
	}

	@Override
	protected void register(String beanName, Class<?> type) {
		Map<String, Method> tries = AnnotatedMethods.byName(type, TccTry.class, TccTry::value);
		Map<String, Method> confirms = AnnotatedMethods.byName(type, Confirm.class, Confirm::value);
		Map<String, Method> cancels = AnnotatedMethods.byName(type, Cancel.class, Cancel::value);
		for (Map.Entry<String, Method> entry : tries.entrySet()) {
			String name = entry.getKey();
			Method tryMethod = entry.getValue();
			Method confirm = phaseTwo(beanName, type, tryMethod, name, "@Confirm", confirms.get(name));
			Method cancel = phaseTwo(beanName, type, tryMethod, name, "@Cancel", cancels.get(name));
			TccAction action = new TccAction(beanName + "#" + name, beanName, tryMethod, confirm, cancel);
			add(action, tryMethod);
		}
		orphans(beanName, type, "@Confirm", confirms.keySet(), tries.keySet());
		orphans(beanName, type, "@Cancel", cancels.keySet(), tries.keySet());
	}

	private static Method phaseTwo(String beanName, Class<?> type, Method tryMethod, String name, String annotation,
			@Nullable Method method) {
		String expected = "(" + parameters(tryMethod.getParameterTypes()) + ") or ("
				+ parameters(tryMethod.getParameterTypes()) + (tryMethod.getParameterCount() > 0 ? ", " : "")
				+ "BranchContext)";
		if (method == null) {
			throw new DtxWiringException(beanName, tryMethod, "Bean '" + beanName + "' (" + type.getName()
					+ "): @TccTry(\"" + name + "\") " + describe(tryMethod) + " has no " + annotation + "(\"" + name
					+ "\") method", "Add a method annotated " + annotation + "(\"" + name + "\") to " + type.getSimpleName()
					+ " that takes " + expected + ".");
		}
		Class<?>[] tryTypes = tryMethod.getParameterTypes();
		Class<?>[] types = method.getParameterTypes();
		boolean same = Arrays.equals(types, tryTypes);
		boolean withContext = types.length == tryTypes.length + 1
				&& Arrays.equals(Arrays.copyOf(types, tryTypes.length), tryTypes)
				&& types[tryTypes.length] == BranchContext.class;
		if (!same && !withContext) {
			throw new DtxWiringException(beanName, method, "Bean '" + beanName + "' (" + type.getName() + "): "
					+ annotation + "(\"" + name + "\") " + describe(method) + " must take the parameters of its try "
					+ describe(tryMethod), "Make " + method.getName() + " take " + expected + ".");
		}
		return method;
	}

	private static void orphans(String beanName, Class<?> type, String annotation, Set<String> names,
			Set<String> tries) {
		for (String name : names) {
			if (!tries.contains(name)) {
				throw new DtxWiringException(beanName, null, "Bean '" + beanName + "' (" + type.getName() + "): "
						+ annotation + "(\"" + name + "\") has no @TccTry(\"" + name + "\") method on the same bean",
						"Annotate the try of that action @TccTry(\"" + name + "\"), or correct the name in " + annotation
								+ ".");
			}
		}
	}

}
