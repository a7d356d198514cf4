package org.prunelab.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded default: a local KRaft broker and the three services as child processes, sharing one artifact
 * store and data directory. A supervisor restarts a service that exits while the pipeline runs (its unacknowledged
 * input is still on its topic, so the run goes on), up to {@code maxRestarts} times per service; then it gives up
 * and says so ({@link #failure()}). Closing it stops everything it started.
 */
public final class Pipeline implements AutoCloseable {
    public static final List<String> SERVICES = List.of("trainer-service", "pruner-service", "evaluator-service");
    /** Restarts per service before the supervisor gives up (bin/run --max-restarts). */
    public static final int DEFAULT_MAX_RESTARTS = 5;

    private final LabHome home;
    private final Path work;
    private final Path store;
    private final LocalKafka kafka;
    private final Map<String, String> extraEnv;
    private final Map<String, ChildProcess> services = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, Integer> restarts = new HashMap<>();
    private final int maxRestarts;
    private final Thread supervisor;
    private volatile boolean closing;
    private volatile String failure;

    private Pipeline(LabHome home, Path work, Path store, LocalKafka kafka, Map<String, String> extraEnv,
                     int maxRestarts) {
        this.home = home;
        this.work = work;
        this.store = store;
        this.kafka = kafka;
        this.extraEnv = extraEnv;
        this.maxRestarts = maxRestarts;
        this.supervisor = new Thread(this::supervise, "pipeline-supervisor");
        supervisor.setDaemon(true);
    }

    /**
     * @param work     directory for the broker's data and the logs (emptied first)
     * @param store    the artifact store directory
     * @param extraEnv settings passed to every service (e.g. LAB_TIMING_REPETITIONS)
     */
    public static Pipeline start(LabHome home, Path work, Path store, Map<String, String> extraEnv) {
        return start(home, work, store, extraEnv, LocalKafka.freePort());
    }

    /** As above, with the broker on a given loopback port. */
    public static Pipeline start(LabHome home, Path work, Path store, Map<String, String> extraEnv, int kafkaPort) {
        return start(home, work, store, extraEnv, kafkaPort, DEFAULT_MAX_RESTARTS);
    }

    /** As above, restarting a service that exits at most {@code maxRestarts} times. */
    public static Pipeline start(LabHome home, Path work, Path store, Map<String, String> extraEnv, int kafkaPort,
                                 int maxRestarts) {
        deleteTree(work);
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalKafka kafka = LocalKafka.launch(home, work.resolve("kafka"), kafkaPort);
        Pipeline p = new Pipeline(home, work, store, kafka, extraEnv, maxRestarts);
        try {
            // the services start while the broker does (their clients retry until it answers): ~4 s less per start
            for (String s : SERVICES) {
                p.startService(s);
            }
            kafka.awaitReady(Duration.ofSeconds(90));
            kafka.createTopics();
            for (String s : SERVICES) {
                p.awaitReady(s, Duration.ofSeconds(120));
            }
            p.supervisor.start();
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    public String bootstrap() {
        return kafka.bootstrap();
    }

    public LocalKafka kafka() {
        return kafka;
    }

    public Path work() {
        return work;
    }

    public int port(String service) {
        return ports.get(service);
    }

    /** Starts a service; a second evaluator is started as "evaluator-service-2" and so on. */
    public ChildProcess startService(String name) {
        return startService(name, LocalKafka.freePort());
    }

    /** Kills a service with SIGKILL, as a crash would; the supervisor brings it back. */
    public void kill(String name) {
        service(name).kill();
    }

    /** Stops one service (SIGTERM) for good: the supervisor does not restart it. */
    public void stopService(String name) {
        ChildProcess p;
        synchronized (this) {
            p = services.remove(name);
        }
        if (p != null) {
            p.close();
        }
    }

    /** Times the supervisor restarted a service. */
    public synchronized int restarts(String name) {
        return restarts.getOrDefault(name, 0);
    }

    /** Why the supervisor gave up on a service, once it has; a run waiting on that service cannot complete. */
    public java.util.Optional<String> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    private void supervise() {
        while (!closing) {
            LocalKafka.sleep(500);
            List<Map.Entry<String, ChildProcess>> now;
            synchronized (this) {
                now = List.copyOf(services.entrySet());
            }
            for (Map.Entry<String, ChildProcess> e : now) {
                if (!e.getValue().isAlive() && !closing) {
                    try {
                        restart(e.getKey(), e.getValue());
                    } catch (IllegalStateException exiting) {
                        return; // the JVM is exiting and stops the children itself
                    }
                }
            }
        }
    }

    private synchronized void restart(String name, ChildProcess dead) {
        if (services.get(name) != dead || closing) {
            return; // stopped on purpose, or already restarted
        }
        int n = restarts.merge(name, 1, Integer::sum);
        int code = dead.exitCode();
        String why = code > 128 ? "killed by signal " + (code - 128) : "exit code " + code;
        if (n > maxRestarts) {
            services.remove(name);
            failure = name + " exited " + n + " times (last: " + why + "); giving up after " + maxRestarts
                    + " restarts; see " + dead.log();
            System.out.println("[supervisor] " + failure);
            return;
        }
        startService(name, ports.get(name)); // refused, and nothing said, when this JVM is exiting
        System.out.printf("[supervisor] %s exited unexpectedly (%s); restarted it (%d of at most %d)%n", name, why, n,
                maxRestarts);
    }

    private synchronized ChildProcess startService(String name, int port) {
        String jarOf = name.replaceAll("-\\d+$", "");
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrap());
        env.put("LAB_STORE_DIR", store.toString());
        env.put("LAB_DATA_DIR", home.dataDir().toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        ChildProcess.Priority priority = jarOf.equals("evaluator-service") ? ChildProcess.Priority.TIMING
                : ChildProcess.Priority.BACKGROUND;
        ChildProcess p = ChildProcess.startJava(name, List.of(home.jvmOptions(), "-Xmx4g", "-jar", home.serviceJar(jarOf).toString()),
                env, work.resolve(name + ".log"), priority);
        services.put(name, p);
        ports.put(name, port);
        return p;
    }

    public synchronized ChildProcess service(String name) {
        return services.get(name);
    }

    /** Waits until the service's readiness check (Kafka connection included) says UP. */
    public void awaitReady(String name, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://127.0.0.1:" + ports.get(name) + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ChildProcess p = service(name);
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException(name + " exited during start; see " + work.resolve(name + ".log"));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            LocalKafka.sleep(500);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + work.resolve(name + ".log"));
    }

    @Override
    public void close() {
        closing = true;
        List<ChildProcess> all;
        synchronized (this) {
            all = new ArrayList<>(services.values());
        }
        ChildProcess.stopAll(all);
        kafka.close();
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
