package org.prunelab.runner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.prunelab.core.Json;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.Topics;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.events.TrainingProgress;

/**
 * A user of the pipeline: posts requests as JSON records and follows progress, evaluations and dead letters of
 * every run on the broker, in a background thread.
 */
public final class RunClient implements AutoCloseable {
    /**
     * How long an idle fetch waits at the broker, as the services' {@code LAB_KAFKA_FETCH_WAIT_MS}; at most the
     * consumer's 30 s request timeout, past which a waiting fetch would count as failed.
     */
    static final EnvNumber FETCH_WAIT = new EnvNumber("LAB_KAFKA_FETCH_WAIT_MS", 5000, 0, 30_000);
    /** A dead-letter record: the topic it came from, the reason SmallRye recorded, and the payload. */
    public record DeadLetter(String topic, String reason, String payload) {
    }

    /** Told about every event as it arrives, for progress output. */
    public interface Listener {
        default void progress(TrainingProgress p) {
        }

        default void trained(TrainedModelEvent e) {
        }

        /** A variant stored by the pruner or (from scratch, fine-tuned) the trainer, the first time it is seen. */
        default void stored(PrunedVariantEvent e, RunResults run) {
        }

        default void evaluated(EvaluationEvent e, RunResults run) {
        }

        default void deadLetter(DeadLetter d) {
        }
    }

    private final String bootstrap;
    /** {@link #FETCH_WAIT}, read on the caller's thread: a bad value fails the constructor, not the poller. */
    private final int fetchWaitMs;
    private final KafkaProducer<String, String> producer;
    private final Map<String, RunResults> runs = new ConcurrentHashMap<>();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;
    private volatile Listener listener = new Listener() { };

    public RunClient(String bootstrap) {
        this.bootstrap = bootstrap;
        this.fetchWaitMs = FETCH_WAIT.read();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        poller = new Thread(this::poll, "run-client-poller");
        poller.setDaemon(true);
        poller.start();
    }

    public void listen(Listener l) {
        listener = l;
    }

    /** Posts a raw JSON text to a topic, as a user with the console producer would. */
    public void post(String topic, String key, String json) {
        try {
            producer.send(new ProducerRecord<>(topic, key, json)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot post to " + topic + ": " + e.getMessage(), e);
        }
    }

    public RunResults run(String runId) {
        return runs.computeIfAbsent(runId, RunResults::new);
    }

    /** Every run seen on the broker so far. */
    public List<RunResults> runs() {
        return List.copyOf(runs.values());
    }

    public List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** Waits until the run has every expected evaluation; calls {@code tick} about once a second. */
    public RunResults await(String runId, Duration timeout, Consumer<RunResults> tick) {
        RunResults r = run(runId);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!r.complete()) {
            if (!poller.isAlive()) {
                throw new IllegalStateException("stopped reading the broker; see the error above");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " incomplete after " + timeout + ": "
                        + r.evaluations().size() + " of " + r.expected() + " evaluations");
            }
            tick.accept(r);
            LocalKafka.sleep(1000);
        }
        return r;
    }

    private void poll() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "lab-runner-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // idle fetches wait at the broker (records end them at once): fewer wake-ups while the evaluator times
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchWaitMs);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(Topics.TRAINING_PROGRESS, Topics.TRAINED_MODELS, Topics.PRUNED_VARIANTS,
                    Topics.EVALUATIONS, Topics.DEAD_LETTERS));
            while (running) {
                for (ConsumerRecord<String, String> rec : c.poll(Duration.ofMillis(500))) {
                    handle(rec);
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // closing
        }
    }

    private void handle(ConsumerRecord<String, String> rec) {
        try {
            switch (rec.topic()) {
                case Topics.TRAINING_PROGRESS -> {
                    TrainingProgress e = Json.read(rec.value(), TrainingProgress.class);
                    run(e.runId()).add(e);
                    listener.progress(e);
                }
                case Topics.TRAINED_MODELS -> {
                    TrainedModelEvent e = Json.read(rec.value(), TrainedModelEvent.class);
                    run(e.runId()).add(e);
                    listener.trained(e);
                }
                case Topics.PRUNED_VARIANTS -> {
                    // validated as the evaluator validates it: a record it dead-letters names no variant
                    PrunedVariantEvent e = Json.read(rec.value(), PrunedVariantEvent.class).validate();
                    RunResults r = run(e.runId());
                    if (r.variantSeen(e)) {
                        listener.stored(e, r);
                    }
                }
                case Topics.EVALUATIONS -> {
                    EvaluationEvent e = Json.read(rec.value(), EvaluationEvent.class);
                    RunResults r = run(e.runId());
                    r.add(e, rec.value());
                    listener.evaluated(e, r);
                }
                default -> {
                    DeadLetter d = new DeadLetter(header(rec, "dead-letter-topic"), header(rec, "dead-letter-reason"),
                            rec.value());
                    deadLetters.add(d);
                    listener.deadLetter(d);
                }
            }
        } catch (RuntimeException e) {
            // one bad record (the tests publish some on purpose) must not stop the runner reading the run
            System.err.println("ignoring unreadable record on " + rec.topic() + ": " + e);
        }
    }

    private static String header(ConsumerRecord<?, ?> rec, String name) {
        Header h = rec.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        try {
            poller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
