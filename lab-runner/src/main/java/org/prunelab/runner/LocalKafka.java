package org.prunelab.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.prunelab.core.events.Topics;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one process), run from the Kafka
 * jars on Maven Central as a child JVM. Listens on loopback only; its data lives under the given directory.
 */
public final class LocalKafka implements AutoCloseable {
    /** Partitions of every pipeline topic, so that several evaluators can share a run. */
    public static final int PARTITIONS = 4;

    private final ChildProcess process;
    private final String bootstrap;

    private LocalKafka(ChildProcess process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    /** Starts the broker without waiting for it (see {@link #awaitReady}), so that clients can start meanwhile. */
    public static LocalKafka launch(LabHome home, Path dir, int port) {
        try {
            Files.createDirectories(dir);
            int controllerPort = freePort();
            Properties p = new Properties();
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", "1");
            p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("log.dirs", dir.resolve("logs").toString());
            p.setProperty("num.partitions", Integer.toString(PARTITIONS));
            p.setProperty("offsets.topic.replication.factor", "1");
            // one partition for the consumer groups' offsets instead of 50: the groups' first join waits for them
            p.setProperty("offsets.topic.num.partitions", "1");
            p.setProperty("transaction.state.log.replication.factor", "1");
            p.setProperty("transaction.state.log.min.isr", "1");
            p.setProperty("share.coordinator.state.topic.replication.factor", "1");
            p.setProperty("share.coordinator.state.topic.min.isr", "1");
            p.setProperty("group.initial.rebalance.delay.ms", "0");
            p.setProperty("auto.create.topics.enable", "true");
            Path config = dir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(config)) {
                p.store(out, "written by LocalKafka");
            }
            String cp = home.brokerClasspath();
            Path log = dir.resolve("broker.log");
            if (!Files.isDirectory(dir.resolve("logs"))) {
                // Kafka's own generator: it never starts an id with '-', which kafka-storage would read as an option
                // (ours did one start in 64: "argument --cluster-id/-t: expected one argument", and no broker)
                String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
                ChildProcess format = ChildProcess.startJava("kafka-storage", List.of("-XX:TieredStopAtLevel=1", "-cp", cp,
                        "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString()), Map.of(), log,
                        ChildProcess.Priority.BACKGROUND);
                waitForExit(format, Duration.ofSeconds(60));
            }
            // C1 only and the serial collector: a local broker of a few small topics needs no peak throughput, and
            // it starts while three services do on the same two cores (measured alone: 2.6 s -> 1.8 s)
            ChildProcess broker = ChildProcess.startJava("kafka", List.of("-Xmx512m", "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-cp", cp, "kafka.Kafka",
                    config.toString()), Map.of(), log, ChildProcess.Priority.BACKGROUND);
            // SIGKILL 5 s after SIGTERM: the broker logged its shutdown within a second but its JVM then stayed up
            // for the full 20 s grace of a service, and bin/run throws its data directory away at the next start
            broker.grace(Duration.ofSeconds(5)).stopLast();
            return new LocalKafka(broker, "127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrap() {
        return bootstrap;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** Creates the pipeline's topics up front, with {@link #PARTITIONS} partitions each. */
    public void createTopics() {
        List<String> names = List.of(Topics.TRAINING_REQUESTS, Topics.TRAINING_JOBS, Topics.TRAINING_PROGRESS,
                Topics.TRAINED_MODELS, Topics.PRUNE_REQUESTS, Topics.PRUNED_VARIANTS, Topics.EVALUATIONS, Topics.DEAD_LETTERS);
        try (Admin admin = admin()) {
            var existing = admin.listTopics().names().get();
            var missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, PARTITIONS, (short) 1)).toList();
            admin.createTopics(missing).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            // a service's consumer may have subscribed first, and the broker created the topic (with PARTITIONS)
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
        }
    }

    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited during start; see " + process.log());
            }
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, java.util.concurrent.TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                sleep(500);
            }
        }
        throw new IllegalStateException("Kafka broker not ready after " + timeout + "; see " + process.log(), last);
    }

    @Override
    public void close() {
        process.close();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void waitForExit(ChildProcess p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            sleep(200);
        }
        if (p.isAlive()) {
            p.kill();
            throw new IllegalStateException(p.name() + " did not finish; see " + p.log());
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
