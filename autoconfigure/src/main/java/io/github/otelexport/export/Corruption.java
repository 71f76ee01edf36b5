package io.github.otelexport.export;

record Corruption(String file, long offset, int spans, long bytes) {
}
