package io.github.otelexport.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's property reference in step with the generated configuration
 * metadata: every {@code otel.export.*} property is documented there (the fallback's
 * destination keys once, as the primary's).
 *
 * @author otel-export authors
 */
class ReadmePropertyReferenceTests {

	private static final Pattern PROPERTY_NAME = Pattern.compile("\"name\"\\s*:\\s*\"(otel\\.export\\.[a-z0-9.-]+)\"");

	private static final List<String> FALLBACK_ONLY = List.of("endpoint", "failure-threshold", "probe-interval");

	@Test
	void readmeDocumentsEveryProperty() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		List<String> properties = metadataProperties();
		assertThat(properties).contains("otel.export.endpoint", "otel.export.retry.max-elapsed-time");
		assertThat(properties.stream().filter(this::documentedOnItsOwn))
			.allSatisfy((property) -> assertThat(readme).as(property).contains("`" + property + "`"));
	}

	private boolean documentedOnItsOwn(String property) {
		String prefix = "otel.export.fallback.";
		return !property.startsWith(prefix) || FALLBACK_ONLY.contains(property.substring(prefix.length()));
	}

	private List<String> metadataProperties() throws IOException {
		try (InputStream metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(metadata).isNotNull();
			String json = new String(metadata.readAllBytes(), StandardCharsets.UTF_8);
			// only the "properties" section: "groups" and "hints" name other things
			int start = json.indexOf("\"properties\"");
			int hints = json.indexOf("\"hints\"", start);
			Matcher matcher = PROPERTY_NAME.matcher(json.substring(start, (hints >= 0) ? hints : json.length()));
			return matcher.results().map((result) -> result.group(1)).distinct().toList();
		}
	}

}
