package io.github.otelexport.autoconfigure;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.otelexport.export.Compression;
import io.github.otelexport.export.transport.OtlpProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every {@code otel.export.*} property binds to {@link OtelExportProperties}.
 *
 * @author otel-export authors
 */
class OtelExportPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void defaults() {
		this.runner.run((context) -> {
			OtelExportProperties properties = context.getBean(OtelExportProperties.class);
			// unset, so that management.tracing.export.enabled decides
			assertThat(properties.getEnabled()).isNull();
			assertThat(properties.getProtocol()).isNull();
			assertThat(properties.getEndpoint()).isNull();
			assertThat(properties.getRetry().isEnabled()).isTrue();
			assertThat(properties.getRetry().getMaxAttempts()).isEqualTo(5);
			// unset, so that the resolver applies the default for the buffer
			assertThat(properties.getRetry().getMaxElapsedTime()).isNull();
			assertThat(properties.getBatch().getMaxExportBatchSize()).isEqualTo(512);
			assertThat(properties.getBatch().getMaxQueueSize()).isEqualTo(2048);
			assertThat(properties.getBatch().getScheduleDelay()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.getBatch().getExportTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getBuffer().getMemory().getMaxSize()).isEqualTo(DataSize.ofMegabytes(64));
			assertThat(properties.getSending().getConcurrency()).isEqualTo(4);
			assertThat(properties.getFallback().getFailureThreshold()).isEqualTo(5);
			assertThat(properties.getFallback().getProbeInterval()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getFallback().isInheritHeaders()).isTrue();
			assertThat(properties.getHealth().getGracePeriod()).isEqualTo(Duration.ofMinutes(1));
			assertThat(properties.getDiagnostics().getRecentErrors()).isEqualTo(50);
			assertThat(properties.getDiagnostics().isStartupCheck()).isTrue();
			assertThat(properties.getDebug().isEnabled()).isFalse();
			assertThat(properties.getDebug().getSamplingInitial()).isEqualTo(5);
			assertThat(properties.getDebug().getSamplingThereafter()).isEqualTo(200);
		});
	}

	@Test
	void everyPropertyBinds() {
		this.runner.withPropertyValues("otel.export.enabled=false", "otel.export.protocol=http/protobuf",
				"otel.export.endpoint=https://primary:4318/v1/traces", "otel.export.timeout=1s",
				"otel.export.connect-timeout=2s", "otel.export.compression=gzip", "otel.export.headers.a=b",
				"otel.export.tls.bundle=primary-bundle", "otel.export.tls.ca-file=/ca.pem",
				"otel.export.tls.client-certificate=/client.pem", "otel.export.tls.client-key=/client.key",
				"otel.export.tls.insecure-skip-verify=true", "otel.export.retry.enabled=false",
				"otel.export.retry.max-attempts=3", "otel.export.retry.initial-backoff=100ms",
				"otel.export.retry.max-backoff=2s", "otel.export.retry.multiplier=1.5", "otel.export.retry.jitter=0.1",
				"otel.export.retry.max-elapsed-time=20s", "otel.export.fallback.protocol=grpc",
				"otel.export.fallback.endpoint=http://fallback:4317", "otel.export.fallback.timeout=3s",
				"otel.export.fallback.connect-timeout=4s", "otel.export.fallback.compression=none",
				"otel.export.fallback.headers.c=d", "otel.export.fallback.tls.bundle=fallback-bundle",
				"otel.export.fallback.tls.ca-file=/fca.pem", "otel.export.fallback.tls.client-certificate=/fc.pem",
				"otel.export.fallback.tls.client-key=/fc.key", "otel.export.fallback.tls.insecure-skip-verify=false",
				"otel.export.fallback.failure-threshold=7", "otel.export.fallback.probe-interval=45s",
				"otel.export.fallback.inherit-headers=false", "otel.export.batch.max-export-batch-size=100",
				"otel.export.batch.max-queue-size=1000", "otel.export.batch.schedule-delay=1s",
				"otel.export.batch.export-timeout=40s", "otel.export.buffer.memory.max-size=512KB",
				"otel.export.sending.concurrency=8", "otel.export.health.grace-period=2m",
				"otel.export.diagnostics.recent-errors=10", "otel.export.diagnostics.startup-check=false",
				"otel.export.debug.enabled=true", "otel.export.debug.sampling-initial=1",
				"otel.export.debug.sampling-thereafter=10")
			.run((context) -> {
				OtelExportProperties properties = context.getBean(OtelExportProperties.class);
				assertThat(properties.getEnabled()).isFalse();
				assertThat(properties.getProtocol()).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
				assertThat(properties.getEndpoint()).isEqualTo("https://primary:4318/v1/traces");
				assertThat(properties.getTimeout()).isEqualTo(Duration.ofSeconds(1));
				assertThat(properties.getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(properties.getCompression()).isEqualTo(Compression.GZIP);
				assertThat(properties.getHeaders()).containsExactly(Map.entry("a", "b"));
				assertThat(properties.getTls().getBundle()).isEqualTo("primary-bundle");
				assertThat(properties.getTls().getCaFile()).isEqualTo("/ca.pem");
				assertThat(properties.getTls().getClientCertificate()).isEqualTo("/client.pem");
				assertThat(properties.getTls().getClientKey()).isEqualTo("/client.key");
				assertThat(properties.getTls().getInsecureSkipVerify()).isTrue();
				OtelExportProperties.Retry retry = properties.getRetry();
				assertThat(retry.isEnabled()).isFalse();
				assertThat(retry.getMaxAttempts()).isEqualTo(3);
				assertThat(retry.getInitialBackoff()).isEqualTo(Duration.ofMillis(100));
				assertThat(retry.getMaxBackoff()).isEqualTo(Duration.ofSeconds(2));
				assertThat(retry.getMultiplier()).isEqualTo(1.5);
				assertThat(retry.getJitter()).isEqualTo(0.1);
				assertThat(retry.getMaxElapsedTime()).isEqualTo(Duration.ofSeconds(20));
				OtelExportProperties.Fallback fallback = properties.getFallback();
				assertThat(fallback.getProtocol()).isEqualTo(OtlpProtocol.GRPC);
				assertThat(fallback.getEndpoint()).isEqualTo("http://fallback:4317");
				assertThat(fallback.getTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(fallback.getConnectTimeout()).isEqualTo(Duration.ofSeconds(4));
				assertThat(fallback.getCompression()).isEqualTo(Compression.NONE);
				assertThat(fallback.getHeaders()).containsExactly(Map.entry("c", "d"));
				assertThat(fallback.getTls().getBundle()).isEqualTo("fallback-bundle");
				assertThat(fallback.getTls().getCaFile()).isEqualTo("/fca.pem");
				assertThat(fallback.getTls().getClientCertificate()).isEqualTo("/fc.pem");
				assertThat(fallback.getTls().getClientKey()).isEqualTo("/fc.key");
				assertThat(fallback.getTls().getInsecureSkipVerify()).isFalse();
				assertThat(fallback.getFailureThreshold()).isEqualTo(7);
				assertThat(fallback.getProbeInterval()).isEqualTo(Duration.ofSeconds(45));
				assertThat(fallback.isInheritHeaders()).isFalse();
				OtelExportProperties.Batch batch = properties.getBatch();
				assertThat(batch.getMaxExportBatchSize()).isEqualTo(100);
				assertThat(batch.getMaxQueueSize()).isEqualTo(1000);
				assertThat(batch.getScheduleDelay()).isEqualTo(Duration.ofSeconds(1));
				assertThat(batch.getExportTimeout()).isEqualTo(Duration.ofSeconds(40));
				assertThat(properties.getBuffer().getMemory().getMaxSize()).isEqualTo(DataSize.ofKilobytes(512));
				assertThat(properties.getSending().getConcurrency()).isEqualTo(8);
				assertThat(properties.getHealth().getGracePeriod()).isEqualTo(Duration.ofMinutes(2));
				assertThat(properties.getDiagnostics().getRecentErrors()).isEqualTo(10);
				assertThat(properties.getDiagnostics().isStartupCheck()).isFalse();
				assertThat(properties.getDebug().isEnabled()).isTrue();
				assertThat(properties.getDebug().getSamplingInitial()).isEqualTo(1);
				assertThat(properties.getDebug().getSamplingThereafter()).isEqualTo(10);
			});
	}

	@ParameterizedTest
	@CsvSource({ "grpc, GRPC", "GRPC, GRPC", "http/protobuf, HTTP_PROTOBUF", "HTTP_PROTOBUF, HTTP_PROTOBUF",
			"Http/Protobuf, HTTP_PROTOBUF", "http-protobuf, HTTP_PROTOBUF" })
	void protocolBindsAsUsersWriteIt(String written, OtlpProtocol expected) {
		this.runner.withPropertyValues("otel.export.protocol=" + written, "otel.export.fallback.protocol=" + written)
			.run((context) -> {
				OtelExportProperties properties = context.getBean(OtelExportProperties.class);
				assertThat(properties.getProtocol()).isEqualTo(expected);
				assertThat(properties.getFallback().getProtocol()).isEqualTo(expected);
			});
	}

	@ParameterizedTest
	@CsvSource({ "none, NONE", "NONE, NONE", "gzip, GZIP", "Gzip, GZIP" })
	void compressionBindsAsUsersWriteIt(String written, Compression expected) {
		this.runner.withPropertyValues("otel.export.compression=" + written)
			.run((context) -> assertThat(context.getBean(OtelExportProperties.class).getCompression())
				.isEqualTo(expected));
	}

	@ParameterizedTest
	@CsvSource({ "0, 0", "64MB, 67108864", "1536KB, 1572864", "1GB, 1073741824", "2048, 2048" })
	void bufferSizeBindsAsUsersWriteIt(String written, long bytes) {
		this.runner.withPropertyValues("otel.export.buffer.memory.max-size=" + written)
			.run((context) -> assertThat(
					context.getBean(OtelExportProperties.class).getBuffer().getMemory().getMaxSize().toBytes())
				.isEqualTo(bytes));
	}

	@Test
	void emptyProtocolIsUnset() {
		this.runner.withPropertyValues("otel.export.protocol=")
			.run((context) -> assertThat(context.getBean(OtelExportProperties.class).getProtocol()).isNull());
	}

	@Test
	void everyPropertyIsDocumentedAndEnumLikeValuesHaveHints() throws Exception {
		DocumentContext generated = read("META-INF/spring-configuration-metadata.json");
		DocumentContext additional = read("META-INF/additional-spring-configuration-metadata.json");
		List<String> names = generated.read("$.properties[*].name");
		List<String> documented = generated.read("$.properties[?(@.description)].name");
		assertThat(names).contains("otel.export.endpoint", "otel.export.fallback.tls.ca-file",
				"otel.export.debug.sampling-initial");
		assertThat(documented).containsExactlyInAnyOrderElementsOf(names);
		List<String> hints = generated.read("$.hints[*].name");
		assertThat(hints).contains("otel.export.protocol", "otel.export.compression", "otel.export.fallback.protocol",
				"otel.export.fallback.compression");
		List<String> timeoutDefault = additional.read("$.properties[?(@.name == 'otel.export.timeout')].defaultValue");
		assertThat(timeoutDefault).containsExactly("10s");
		List<String> protocolType = generated.read("$.properties[?(@.name == 'otel.export.protocol')].type");
		assertThat(protocolType).containsExactly(OtlpProtocol.class.getName());
		List<Object> healthSwitch = generated
			.read("$.properties[?(@.name == 'management.health.otelexport.enabled')].defaultValue");
		assertThat(healthSwitch).containsExactly(true);
	}

	private static DocumentContext read(String resource) throws Exception {
		try (InputStream in = new ClassPathResource(resource).getInputStream()) {
			return JsonPath.parse(in);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(OtelExportProperties.class)
	static class PropertiesConfiguration {

	}

}
