package io.github.otelexport.export;

record DiskRecord(long segment, long offset, int size, int spans) {
}
