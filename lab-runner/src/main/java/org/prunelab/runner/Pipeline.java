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
 * store and data directory. Closing it stops everything it started.
 */
public final class Pipeline implements AutoCloseable {
    public static final List<String> SERVICES = List.of("trainer-service", "pruner-service", "evaluator-service");

    private final LabHome home;
    private final Path work;
    private final Path store;
    private final LocalKafka kafka;
    private final Map<String, String> extraEnv;
    private final Map<String, ChildProcess> services = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();

    private Pipeline(LabHome home, Path work, Path store, LocalKafka kafka, Map<String, String> extraEnv) {
        this.home = home;
        this.work = work;
        this.store = store;
        this.kafka = kafka;
        this.extraEnv = extraEnv;
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
        deleteTree(work);
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalKafka kafka = LocalKafka.start(home, work.resolve("kafka"), kafkaPort);
        Pipeline p = new Pipeline(home, work, store, kafka, extraEnv);
        try {
            kafka.createTopics();
            for (String s : SERVICES) {
                p.startService(s);
            }
            for (String s : SERVICES) {
                p.awaitReady(s, Duration.ofSeconds(120));
            }
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

    /** Kills a service with SIGKILL, as a crash would, and starts it again on the same port. */
    public ChildProcess crashAndRestart(String name) {
        services.get(name).kill();
        ChildProcess p = startService(name, ports.get(name));
        awaitReady(name, Duration.ofSeconds(120));
        return p;
    }

    /** Stops one service (SIGTERM). */
    public void stopService(String name) {
        ChildProcess p = services.remove(name);
        if (p != null) {
            p.close();
        }
    }

    private ChildProcess startService(String name, int port) {
        String jarOf = name.replaceAll("-\\d+$", "");
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrap());
        env.put("LAB_STORE_DIR", store.toString());
        env.put("LAB_DATA_DIR", home.dataDir().toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        ChildProcess p = ChildProcess.startJava(name, List.of(home.jvmOptions(), "-Xmx4g", "-jar", home.serviceJar(jarOf).toString()),
                env, work.resolve(name + ".log"));
        services.put(name, p);
        ports.put(name, port);
        return p;
    }

    public ChildProcess service(String name) {
        return services.get(name);
    }

    /** Waits until the service's readiness check (Kafka connection included) says UP. */
    public void awaitReady(String name, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://127.0.0.1:" + ports.get(name) + "/q/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ChildProcess p = services.get(name);
            if (!p.isAlive()) {
                throw new IllegalStateException(name + " exited during start; see " + p.log());
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
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + services.get(name).log());
    }

    @Override
    public void close() {
        new ArrayList<>(services.values()).parallelStream().forEach(ChildProcess::close);
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
