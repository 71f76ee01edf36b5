package io.github.otelexport.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.otelexport.stats.ExportSnapshot;
import io.opentelemetry.sdk.common.CompletableResultCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SendQueue}.
 *
 * @author otel-export authors
 */
class SendQueueTests {

	private final TestTime time = new TestTime();

	@Test
	void theOldestWaitingBatchTellsTheBacklogsAge() throws InterruptedException {
		SendQueue<String> queue = new SendQueue<>(100, this.time);
		assertThat(queue.snapshot().oldestAge()).as("empty").isZero();
		queue.offer("a", 1, 1);
		this.time.advance(Duration.ofSeconds(3));
		queue.offer("b", 1, 2);
		this.time.advance(Duration.ofSeconds(4));
		assertThat(queue.snapshot().oldestAge()).isEqualTo(Duration.ofSeconds(7));
		queue.take();
		// a batch a sender holds has left the buffer: the next one is the oldest waiting
		assertThat(queue.snapshot())
			.isEqualTo(new ExportSnapshot.BufferSnapshot(1, 100, 1, 2, Duration.ofSeconds(4), 0));
		queue.take();
		assertThat(queue.snapshot().oldestAge()).isZero();
	}

	@Test
	void refusesWhatDoesNotFitAndHandsBackWhatWaitsWhenClosed() throws InterruptedException {
		SendQueue<String> queue = new SendQueue<>(10, this.time);
		assertThat(queue.offer("a", 6, 1)).isTrue();
		assertThat(queue.offer("b", 5, 1)).isFalse();
		assertThat(queue.offer("c", 4, 2)).isTrue();
		assertThat(queue.snapshot()).isEqualTo(new ExportSnapshot.BufferSnapshot(10, 10, 2, 3, Duration.ZERO, 0));
		assertThat(queue.take()).isEqualTo("a");
		assertThat(queue.close()).containsExactly("c");
		assertThat(queue.offer("d", 1, 1)).isFalse();
		assertThat(queue.take()).isNull();
	}

	@Test
	void idleOnceNothingWaitsAndNothingIsBusy() throws InterruptedException {
		SendQueue<String> queue = new SendQueue<>(100, this.time);
		assertThat(queue.whenIdle().isDone()).isTrue();
		queue.offer("a", 1, 1);
		CompletableResultCode idle = queue.whenIdle();
		queue.take();
		assertThat(idle.isDone()).as("taken but busy").isFalse();
		queue.done();
		assertThat(idle.isSuccess()).isTrue();
	}

	@Test
	void aWaiterThatClosesTheQueueWhenItIsIdleDoesNotBreakTheOthers() throws InterruptedException {
		SendQueue<String> queue = new SendQueue<>(100, this.time);
		queue.offer("a", 1, 1);
		queue.take();
		List<String> left = new ArrayList<>();
		// a shutdown waits for the queue to be idle and then closes it
		queue.whenIdle().whenComplete(() -> left.addAll(queue.close()));
		CompletableResultCode other = queue.whenIdle();
		queue.done();
		assertThat(other.isSuccess()).isTrue();
		assertThat(left).isEmpty();
		assertThat(queue.take()).isNull();
	}

}
