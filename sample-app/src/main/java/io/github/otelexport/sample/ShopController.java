package io.github.otelexport.sample;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * HTTP endpoints whose requests create spans (Spring MVC's own server observation plus
 * the spans {@link Shop} makes).
 *
 * @author otel-export authors
 */
@RestController
class ShopController {

	private final Shop shop;

	ShopController(Shop shop) {
		this.shop = shop;
	}

	@GetMapping("/hello")
	Map<String, String> hello(@RequestParam(defaultValue = "world") String name) {
		return Map.of("greeting", this.shop.greet(name));
	}

	@GetMapping("/checkout")
	Map<String, String> checkout(@RequestParam(defaultValue = "3") int items) {
		return Map.of("order", this.shop.checkout(items));
	}

}
