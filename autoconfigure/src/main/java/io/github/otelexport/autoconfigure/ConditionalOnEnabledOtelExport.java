package io.github.otelexport.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * {@link Conditional @Conditional} that matches when span export through otel-export is
 * enabled: OpenTelemetry is not switched off ({@code management.opentelemetry.enabled} or
 * {@code OTEL_SDK_DISABLED}), and {@code otel.export.enabled} is {@code true} or, when it
 * is not set, {@code management.tracing.export.enabled} is not {@code false}.
 *
 * @author otel-export authors
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnEnabledOtelExportCondition.class)
@interface ConditionalOnEnabledOtelExport {

}
