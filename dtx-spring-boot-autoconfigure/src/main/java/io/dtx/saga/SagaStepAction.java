package io.dtx.saga;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;

import io.dtx.aop.ActionRegistry;
import io.dtx.aop.AnnotatedMethods;
import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryTemplate;

/**
 * A forward step and its compensation, on one bean.
 *
 * @param key {@code bean#method}, as written into the fence
 * @param beanName the bean that declares both methods
 * @param stepMethod the {@link SagaStep} method
 * @param compensateMethod its compensation
 * @param retry attempts of the step, {@code null} where it runs once
 */
record SagaStepAction(String key, String beanName, Method stepMethod, Method compensateMethod,
		@Nullable RetryTemplate retry) implements ActionRegistry.Action {

	@Override
	public Method firstPhase() {
		return this.stepMethod;
	}

	/**
	 * Whether the compensation takes what the step returned.
	 */
	boolean takesResult() {
		return this.compensateMethod.getParameterCount() > this.stepMethod.getParameterCount();
	}

	Type resultType() {
		return this.stepMethod.getGenericReturnType();
	}

	void compensate(Object bean, Object[] stepArguments, @Nullable Object result) {
		Object[] arguments = stepArguments;
		if (takesResult()) {
			arguments = Arrays.copyOf(stepArguments, stepArguments.length + 1);
			arguments[stepArguments.length] = result;
		}
		AnnotatedMethods.invoke(bean, this.compensateMethod, arguments);
	}

}
