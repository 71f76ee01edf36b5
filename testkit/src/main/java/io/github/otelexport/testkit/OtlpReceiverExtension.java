package io.github.otelexport.testkit;

import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that runs an {@link OtlpReceiver} for a test class or for each test.
 * <p>
 * On a {@code static} field ({@code @RegisterExtension static OtlpReceiverExtension
 * receiver = new OtlpReceiverExtension();}) one receiver serves the whole class (and its
 * {@code @Nested} classes); after each test its recordings are cleared and its behaviour
 * is reset with {@link OtlpReceiver#accept()}, so tests do not see each other. On an
 * instance field each test gets a fresh receiver. Either way the receiver is closed when
 * its scope ends, and test and lifecycle methods can declare an {@link OtlpReceiver}
 * parameter.
 *
 * @author otel-export authors
 */
public final class OtlpReceiverExtension
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

	private final Supplier<OtlpReceiver> factory;

	private OtlpReceiver receiver;

	private int classDepth;

	/**
	 * Create an extension for a plaintext receiver.
	 */
	public OtlpReceiverExtension() {
		this(OtlpReceiver::start);
	}

	private OtlpReceiverExtension(Supplier<OtlpReceiver> factory) {
		this.factory = factory;
	}

	/**
	 * Create an extension for a receiver with TLS.
	 * @return the extension
	 */
	public static OtlpReceiverExtension tls() {
		return new OtlpReceiverExtension(() -> OtlpReceiver.builder().tls().build());
	}

	/**
	 * Create an extension for a receiver that requires client certificates.
	 * @return the extension
	 */
	public static OtlpReceiverExtension mutualTls() {
		return new OtlpReceiverExtension(() -> OtlpReceiver.builder().mutualTls().build());
	}

	/**
	 * Return the running receiver.
	 * @return the receiver
	 * @throws IllegalStateException outside a test
	 */
	public OtlpReceiver get() {
		if (this.receiver == null) {
			throw new IllegalStateException("The OTLP receiver runs only while a test runs");
		}
		return this.receiver;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		if (this.classDepth++ == 0 && this.receiver == null) {
			this.receiver = this.factory.get();
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		if (this.receiver == null) {
			this.receiver = this.factory.get();
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (this.receiver == null) {
			return;
		}
		if (this.classDepth > 0) {
			this.receiver.accept();
			this.receiver.clear();
		}
		else {
			closeReceiver();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (--this.classDepth == 0) {
			closeReceiver();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == OtlpReceiver.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return get();
	}

	private void closeReceiver() {
		OtlpReceiver receiver = this.receiver;
		this.receiver = null;
		if (receiver != null) {
			receiver.close();
		}
	}

}
