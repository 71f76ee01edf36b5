package io.github.otelexport.stats;

import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.otelexport.export.transport.OtlpProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource.Mode;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExportErrorCategory}: each hint names the properties of the
 * destination it is about.
 *
 * @author otel-export authors
 */
class ExportErrorCategoryTests {

	private static final Pattern PROPERTY = Pattern.compile("otel\\.export\\.[a-z.-]*[a-z]");

	/**
	 * Properties the primary and the fallback share.
	 */
	private static final String SHARED = "otel.export.batch.";

	@ParameterizedTest
	@EnumSource(names = { "UNKNOWN_HOST", "DEADLINE_EXCEEDED", "UNAUTHENTICATED", "TLS", "RESOURCE_EXHAUSTED",
			"INVALID_ENDPOINT" })
	void hintNamesThePropertiesOfTheDestinationItIsAbout(ExportErrorCategory category) {
		String primary = category.hint(DestinationRole.PRIMARY);
		String fallback = category.hint(DestinationRole.FALLBACK);
		assertThat(properties(primary)).isNotEmpty()
			.allSatisfy((property) -> assertThat(property).doesNotStartWith("otel.export.fallback."));
		assertThat(properties(fallback)).isNotEmpty()
			.allSatisfy((property) -> assertThat(property).satisfiesAnyOf(
					(name) -> assertThat(name).startsWith("otel.export.fallback."),
					(name) -> assertThat(name).startsWith(SHARED)));
		// the same advice, each destination property under the fallback's prefix
		assertThat(fallback).isEqualTo(primary.replace("otel.export.", "otel.export.fallback.")
			.replace("otel.export.fallback." + SHARED.substring("otel.export.".length()), SHARED));
	}

	@ParameterizedTest
	@EnumSource(mode = Mode.EXCLUDE, names = { "UNKNOWN_HOST", "DEADLINE_EXCEEDED", "UNAUTHENTICATED", "TLS",
			"RESOURCE_EXHAUSTED", "INVALID_ENDPOINT" })
	void otherHintsNameNoPropertyOfTheDestination(ExportErrorCategory category) {
		assertThat(properties(category.hint(DestinationRole.FALLBACK))).isEmpty();
		// the primary's may point to a fallback, a property the primary's failure cannot
		// be
		assertThat(properties(category.hint(DestinationRole.PRIMARY)))
			.allSatisfy((property) -> assertThat(property).isEqualTo("otel.export.fallback.endpoint"));
	}

	@Test
	void unknownFallbackHostNamesTheFallbacksEndpoint() {
		assertThat(ExportErrorCategory.UNKNOWN_HOST.hint(DestinationRole.FALLBACK))
			.isEqualTo("The host name does not resolve: check the spelling of otel.export.fallback.endpoint "
					+ "and the DNS or service name.");
		assertThat(ExportErrorCategory.UNKNOWN_HOST.hint(DestinationRole.PRIMARY))
			.isEqualTo("The host name does not resolve: check the spelling of otel.export.endpoint "
					+ "and the DNS or service name.");
	}

	@Test
	void unauthenticatedNamesWhereTheHeadersAreReallySet() {
		assertThat(ExportErrorCategory.UNAUTHENTICATED.hint(DestinationRole.PRIMARY, "OTEL_EXPORTER_OTLP_HEADERS"))
			.startsWith("Check OTEL_EXPORTER_OTLP_HEADERS (API key, bearer token);");
		// a fallback that inherits the primary's headers
		assertThat(ExportErrorCategory.UNAUTHENTICATED.hint(DestinationRole.FALLBACK, "otel.export.headers"))
			.startsWith("Check otel.export.headers (API key, bearer token);")
			.doesNotContain("otel.export.fallback.headers");
		assertThat(ExportErrorCategory.UNAUTHENTICATED.hint(new ExporterDescription(DestinationRole.FALLBACK,
				"http://backup:4317", OtlpProtocol.GRPC, "otel.export.headers")))
			.isEqualTo(ExportErrorCategory.UNAUTHENTICATED.hint(DestinationRole.FALLBACK, "otel.export.headers"));
		assertThat(ExportErrorCategory.UNAUTHENTICATED.hint(DestinationRole.FALLBACK))
			.startsWith("Check otel.export.fallback.headers (API key, bearer token);");
	}

	private static List<String> properties(String hint) {
		Matcher matcher = PROPERTY.matcher(hint);
		return matcher.results().map(MatchResult::group).toList();
	}

}
