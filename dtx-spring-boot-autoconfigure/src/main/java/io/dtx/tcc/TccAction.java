package io.dtx.tcc;

import java.lang.reflect.Method;

import io.dtx.aop.ActionRegistry;
import io.dtx.aop.AnnotatedMethods;
import io.dtx.core.BranchContext;

/**
 * A try with its confirm and cancel, on one bean.
 *
 * @param key {@code bean#name}, as written into the fence
 * @param beanName the bean that declares the three methods
 * @param tryMethod the {@link TccTry} method
 * @param confirmMethod the {@link Confirm} method
 * @param cancelMethod the {@link Cancel} method
 */
record TccAction(String key, String beanName, Method tryMethod, Method confirmMethod,
		Method cancelMethod) implements ActionRegistry.Action {

	@Override
	public Method firstPhase() {
		return this.tryMethod;
	}

	void confirm(Object bean, Object[] tryArguments, BranchContext branch) {
		invoke(bean, this.confirmMethod, tryArguments, branch);
	}

	void cancel(Object bean, Object[] tryArguments, BranchContext branch) {
		invoke(bean, this.cancelMethod, tryArguments, branch);
	}

	private static void invoke(Object bean, Method method, Object[] tryArguments, BranchContext branch) {
		Object[] arguments = tryArguments;
		if (method.getParameterCount() > tryArguments.length) {
			arguments = java.util.Arrays.copyOf(tryArguments, tryArguments.length + 1);
			arguments[tryArguments.length] = branch;
		}
		AnnotatedMethods.invoke(bean, method, arguments);
	}

}
