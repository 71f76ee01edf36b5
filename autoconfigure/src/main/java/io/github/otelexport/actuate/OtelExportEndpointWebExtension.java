package io.github.otelexport.actuate;

import java.util.List;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * Web extension of the {@code otelexport} endpoint: an unknown category answers 400 with
 * a body that lists the valid ones, which Boot's error page hides by default
 * ({@code server.error.include-message=never}).
 *
 * @author otel-export authors
 */
@EndpointWebExtension(endpoint = OtelExportEndpoint.class)
public final class OtelExportEndpointWebExtension {

	private final OtelExportEndpoint delegate;

	/**
	 * Create the extension.
	 * @param delegate the endpoint
	 */
	public OtelExportEndpointWebExtension(OtelExportEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Return one error category, or 400 with the valid categories.
	 * @param category the category, case-insensitive
	 * @return the category descriptor, or an error body with status 400
	 */
	@ReadOperation
	public WebEndpointResponse<Object> category(@Selector String category) {
		try {
			return new WebEndpointResponse<>(this.delegate.category(category));
		}
		catch (InvalidEndpointRequestException ex) {
			return new WebEndpointResponse<>(new UnknownCategory(ex.getReason(), OtelExportEndpoint.VALID_CATEGORIES),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
	}

	/**
	 * The answer to an unknown category.
	 *
	 * @param error what was wrong
	 * @param validCategories the categories a selector accepts
	 */
	public record UnknownCategory(String error, List<String> validCategories) {

	}

}
