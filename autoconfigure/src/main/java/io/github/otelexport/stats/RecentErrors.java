package io.github.otelexport.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import io.github.otelexport.stats.ExportSnapshot.RecentError;

/**
 * A bounded ring of the most recent errors: memory stays fixed whatever the backend does.
 *
 * @author otel-export authors
 */
final class RecentErrors {

	private final int capacity;

	private final Deque<RecentError> errors;

	RecentErrors(int capacity) {
		if (capacity < 0) {
			throw new IllegalArgumentException("recent errors size must not be negative but was " + capacity);
		}
		this.capacity = capacity;
		this.errors = new ArrayDeque<>(Math.min(capacity, 1024));
	}

	synchronized void add(RecentError error) {
		if (this.capacity == 0) {
			return;
		}
		if (this.errors.size() == this.capacity) {
			this.errors.removeLast();
		}
		this.errors.addFirst(error);
	}

	/**
	 * Return the errors, newest first.
	 * @return an immutable copy
	 */
	synchronized List<RecentError> newestFirst() {
		List<RecentError> copy = new ArrayList<>(this.errors.size());
		for (Iterator<RecentError> iterator = this.errors.iterator(); iterator.hasNext();) {
			copy.add(iterator.next());
		}
		return List.copyOf(copy);
	}

}
