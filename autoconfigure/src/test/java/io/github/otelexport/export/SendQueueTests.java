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
		// a batch a sender holds has left the buffer (its bytes stay reserved): the next
		// one is the oldest waiting
		assertThat(queue.snapshot())
			.isEqualTo(new ExportSnapshot.BufferSnapshot(2, 100, 1, 2, Duration.ofSeconds(4), 0));
		queue.release(1);
		assertThat(queue.snapshot().bytes()).isEqualTo(1);
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

	@Test
	void dueRetriesGoFirstTheEarliestDueFirstThenFreshBatchesInOrder() throws InterruptedException {
		TestSleeper sleeper = new TestSleeper(this.time);
		SendQueue<String> queue = new SendQueue<>(100, this.time, sleeper);
		queue.offer("fresh-1", 1, 1);
		queue.offer("fresh-2", 1, 1);
		long now = this.time.getAsLong();
		queue.requeue("due-later", 1, 1, now, now + 2, false);
		queue.requeue("due-first", 1, 1, now, now + 1, false);
		queue.requeue("not-due", 1, 1, now, now + Duration.ofSeconds(5).toNanos(), true);
		this.time.advance(Duration.ofNanos(2));
		assertThat(List.of(queue.take(), queue.take(), queue.take(), queue.take())).containsExactly("due-first",
				"due-later", "fresh-1", "fresh-2");
		assertThat(sleeper.sleeps()).as("nothing waited").isEmpty();
		// only a retry not yet due is left: the sender waits until it is
		assertThat(queue.take()).isEqualTo("not-due");
		assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(5).minusNanos(2));
	}

	@Test
	void retriesDueAtOnceGoInTheOrderTheyCameBack() throws InterruptedException {
		SendQueue<String> queue = new SendQueue<>(100, this.time, new TestSleeper(this.time));
		long now = this.time.getAsLong();
		// a server's pause sends every batch for its destination back, due when it ends
		for (String batch : List.of("first", "second", "third")) {
			queue.requeue(batch, 1, 1, now, now + 5, false);
		}
		this.time.advance(Duration.ofNanos(5));
		assertThat(List.of(queue.take(), queue.take(), queue.take())).containsExactly("first", "second", "third");
	}

	@Test
	void aWaitingRetryIsBufferedUntilItIsTakenAndHandedBackWhenClosed() throws InterruptedException {
		SendQueue<String> queue = new SendQueue<>(100, this.time, new TestSleeper(this.time));
		queue.offer("a", 10, 2);
		assertThat(queue.take()).isEqualTo("a");
		long entered = this.time.getAsLong();
		this.time.advance(Duration.ofSeconds(3));
		CompletableResultCode idle = queue.whenIdle();
		// back before the sender lets go of it: the queue is never idle in between
		assertThat(queue.requeue("a", 10, 2, entered, this.time.getAsLong() + 1_000, true)).isTrue();
		queue.done();
		assertThat(idle.isDone()).as("a retry waits").isFalse();
		queue.offer("b", 5, 1);
		this.time.advance(Duration.ofSeconds(1));
		assertThat(queue.snapshot()).as("its age counts from when it first entered")
			.isEqualTo(new ExportSnapshot.BufferSnapshot(15, 100, 2, 3, Duration.ofSeconds(4), 0));
		assertThat(queue.close()).containsExactly("a", "b");
		assertThat(idle.isDone()).isTrue();
		assertThat(queue.requeue("b", 5, 1, entered, entered, false)).as("closed").isFalse();
		assertThat(queue.take()).isNull();
	}

	@Test
	void aBatchPutBackNeverLiftsTheBytesOverTheLimit() throws InterruptedException {
		SendQueue<String> queue = new SendQueue<>(10, this.time, new TestSleeper(this.time));
		assertThat(queue.offer("a", 6, 1)).isTrue();
		assertThat(queue.offer("b", 4, 1)).isTrue();
		assertThat(queue.take()).isEqualTo("a");
		// a sender holds "a": its bytes are still in memory, and it may come back
		assertThat(queue.offer("c", 6, 1)).as("refused while a's bytes are reserved").isFalse();
		assertThat(queue.refuses(1)).isTrue();
		long entered = this.time.getAsLong();
		assertThat(queue.requeue("a", 6, 1, entered, entered + 1_000, true)).isTrue();
		assertThat(queue.snapshot().bytes()).isEqualTo(10);
		assertThat(queue.take()).isEqualTo("b");
		queue.release(4);
		assertThat(queue.snapshot().bytes()).as("b was exported").isEqualTo(6);
		// a batch the disk buffer held reserves its bytes when it comes back, if they fit
		assertThat(queue.reserve(5)).isFalse();
		assertThat(queue.reserve(4)).isTrue();
		assertThat(queue.snapshot().bytes()).isEqualTo(10);
	}

	@Test
	void theOldestOfTheRetriesDueAtOnceGoesFirst() throws InterruptedException {
		SendQueue<String> queue = new SendQueue<>(100, this.time, new TestSleeper(this.time));
		long first = this.time.getAsLong();
		this.time.advance(Duration.ofSeconds(1));
		long due = this.time.getAsLong() + 5;
		// held back by the same destination: due when it is tried again
		queue.requeue("younger", 1, 1, this.time.getAsLong(), due, true);
		queue.requeue("older", 1, 1, first, due, true);
		this.time.advance(Duration.ofNanos(5));
		assertThat(List.of(queue.take(), queue.take())).containsExactly("older", "younger");
	}

	@Test
	void aRecoveryHastensOnlyTheRetriesItConcerns() throws InterruptedException {
		TestSleeper sleeper = new TestSleeper(this.time);
		SendQueue<String> queue = new SendQueue<>(100, this.time, sleeper);
		long now = this.time.getAsLong();
		queue.requeue("logs", 1, 1, now, now + Duration.ofSeconds(20).toNanos(), true);
		queue.requeue("traces", 1, 1, now, now + Duration.ofSeconds(30).toNanos(), true);
		queue.hasten("traces"::equals);
		assertThat(queue.take()).isEqualTo("traces");
		assertThat(sleeper.sleeps()).isEmpty();
		assertThat(queue.take()).isEqualTo("logs");
		assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(20));
	}

	@Test
	void aRecoveryMakesTheRetriesWaitingOutABackoffDueAtOnce() throws InterruptedException {
		TestSleeper sleeper = new TestSleeper(this.time);
		SendQueue<String> queue = new SendQueue<>(100, this.time, sleeper);
		long now = this.time.getAsLong();
		queue.requeue("server-asked", 1, 1, now, now + Duration.ofSeconds(30).toNanos(), false);
		queue.requeue("backoff", 1, 1, now, now + Duration.ofSeconds(20).toNanos(), true);
		queue.hasten((batch) -> true);
		assertThat(queue.take()).isEqualTo("backoff");
		assertThat(sleeper.sleeps()).isEmpty();
		assertThat(queue.take()).isEqualTo("server-asked");
		assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(30));
	}

	@Test
	void aNewBatchEndsTheWaitForARetry() throws InterruptedException {
		TestSleeper sleeper = new TestSleeper(this.time);
		SendQueue<String> queue = new SendQueue<>(100, this.time, sleeper);
		long now = this.time.getAsLong();
		queue.requeue("retry", 1, 1, now, now + Duration.ofSeconds(30).toNanos(), false);
		// it comes while the sender starts to wait
		sleeper.onSleep(() -> queue.offer("fresh", 1, 1));
		assertThat(queue.take()).isEqualTo("fresh");
		assertThat(this.time.elapsed()).as("no time passed").isZero();
	}

}
