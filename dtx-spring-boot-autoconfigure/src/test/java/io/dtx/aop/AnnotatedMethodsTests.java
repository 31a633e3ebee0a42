package io.dtx.aop;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Map;

import io.dtx.core.BranchContext;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Finding a bean's annotated methods by name, describing them in start-up errors, and
 * calling them back in phase two.
 */
class AnnotatedMethodsTests {

	@Test
	void methodsAreFoundByTheNameTheirAnnotationGivesPrivateOnesToo() {
		Map<String, Method> methods = AnnotatedMethods.byName(Actions.class, Action.class, Action::value);
		assertThat(methods).containsOnlyKeys("reserve", "release", "secret");
		assertThat(methods.get("reserve").getName()).isEqualTo("reserve");
		assertThat(methods.get("release").getName()).isEqualTo("undo");
	}

	@Test
	void annotationsOnAnInterfaceOrSuperclassCount() {
		assertThat(AnnotatedMethods.byName(Inherited.class, Action.class, Action::value)).containsOnlyKeys("reserve",
				"release", "secret", "inherited");
	}

	@Test
	void typeWithoutAnnotatedMethodsGivesNone() {
		assertThat(AnnotatedMethods.byName(String.class, Action.class, Action::value)).isEmpty();
	}

	@Test
	void twoMethodsWithOneNameStopStartUpNamingBoth() {
		assertThatExceptionOfType(BeanInitializationException.class)
			.isThrownBy(() -> AnnotatedMethods.byName(Duplicate.class, Action.class, Action::value))
			.withMessageContaining(Duplicate.class.getName())
			.withMessageContaining("method first(String)")
			.withMessageContaining("method second(int, long)")
			.withMessageContaining("are both @Action(\"same\")");
	}

	@Test
	void describeNamesMethodAndParameterTypes() {
		Method method = ReflectionUtils.findMethod(Duplicate.class, "second", int.class, long.class);
		assertThat(AnnotatedMethods.describe(method)).isEqualTo("method second(int, long)");
		assertThat(AnnotatedMethods.parameters(new Class<?>[] { String.class, BranchContext.class }))
			.isEqualTo("String, BranchContext");
		assertThat(AnnotatedMethods.parameters(new Class<?>[0])).isEmpty();
	}

	@Test
	void invokeCallsTheMethodAndReturnsItsValue() {
		Method method = ReflectionUtils.findMethod(Actions.class, "reserve", String.class);
		assertThat(AnnotatedMethods.invoke(new Actions(), method, new Object[] { "widget" })).isEqualTo("reserved widget");
	}

	@Test
	void invokeHandsARuntimeExceptionOnUnchanged() {
		Method method = ReflectionUtils.findMethod(Actions.class, "fail", RuntimeException.class);
		IllegalStateException failure = new IllegalStateException("refused");
		assertThatIllegalStateException()
			.isThrownBy(() -> AnnotatedMethods.invoke(new Actions(), method, new Object[] { failure }))
			.isSameAs(failure);
	}

	@Test
	void invokeWrapsACheckedExceptionAsUndeclared() {
		Method method = ReflectionUtils.findMethod(Actions.class, "failChecked");
		assertThatExceptionOfType(UndeclaredThrowableException.class)
			.isThrownBy(() -> AnnotatedMethods.invoke(new Actions(), method, new Object[0]))
			.withCauseInstanceOf(IOException.class);
	}

	@Test
	void privateMethodIsCalledOnTheObjectBehindTheProxy() {
		Actions target = new Actions();
		target.state = "target's";
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(true);
		Object proxy = factory.getProxy();
		Method method = ReflectionUtils.findMethod(Actions.class, "secret");
		assertThat(AnnotatedMethods.invoke(proxy, method, new Object[0])).isEqualTo("target's");
	}

	@Test
	void finalMethodIsCalledOnTheObjectBehindNestedProxies() {
		Actions target = new Actions();
		target.state = "innermost";
		ProxyFactory inner = new ProxyFactory(target);
		inner.setProxyTargetClass(true);
		ProxyFactory outer = new ProxyFactory(inner.getProxy());
		outer.setProxyTargetClass(true);
		Method method = ReflectionUtils.findMethod(Actions.class, "finalState");
		assertThat(AnnotatedMethods.invoke(outer.getProxy(), method, new Object[0])).isEqualTo("innermost");
	}

	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@interface Action {

		String value();

	}

	static class Actions {

		String state = "initial";

		@Action("reserve")
		public String reserve(String sku) {
			return "reserved " + sku;
		}

		@Action("release")
		public void undo(String sku) {
		}

		public void fail(RuntimeException failure) {
			throw failure;
		}

		public void failChecked() throws IOException {
			throw new IOException("disk full");
		}

		@Action("secret")
		private String secret() {
			return this.state;
		}

		public final String finalState() {
			return this.state;
		}

	}

	interface WithAction {

		@Action("inherited")
		void inherited();

	}

	static class Inherited extends Actions implements WithAction {

		@Override
		public void inherited() {
		}

	}

	static class Duplicate {

		@Action("same")
		public void first(String a) {
		}

		@Action("same")
		public void second(int a, long b) {
		}

	}

}
