package org.prunelab.runner;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pipeline (KRaft broker, the three packaged services, a Prometheus scraping them and a client) for all the
 * test classes of this JVM: starting it takes half a minute, so it is started once, on first use, and stopped when
 * the test JVM exits.
 */
final class SharedPipeline {
    private static SharedPipeline instance;

    final LabHome home;
    final Pipeline pipeline;
    final RunClient client;
    final LocalPrometheus prometheus;
    final Path store;

    private SharedPipeline() {
        home = LabHome.locate();
        Path work = home.root().resolve("lab-runner/target/e2e");
        deleteTree(work); // a fresh broker and store: run ids of an earlier test run must not be found again
        store = work.resolve("store");
        pipeline = Pipeline.start(home, work.resolve("pipeline"), store,
                Map.of("LAB_TIMING_WARMUPS", "0", "LAB_TIMING_REPETITIONS", "1"));
        client = new RunClient(pipeline.bootstrap());
        Map<String, Integer> targets = new LinkedHashMap<>();
        for (String s : Pipeline.SERVICES) {
            targets.put(s, pipeline.port(s));
        }
        prometheus = LocalPrometheus.start(work.resolve("prometheus"), LocalKafka.freePort(), targets);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            prometheus.close();
            client.close();
            pipeline.close();
        }));
    }

    private static void deleteTree(Path dir) {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clear " + dir, e);
        }
    }

    static synchronized SharedPipeline get() {
        if (instance == null) {
            instance = new SharedPipeline();
        }
        return instance;
    }

    /** A small training request as a user would post it. */
    static String request(String runId, String dataset, String percentages) {
        return request(runId, dataset, percentages, false);
    }

    /** @param baseline whether the request asks for the from-scratch networks too */
    static String request(String runId, String dataset, String percentages, boolean baseline) {
        return "{\"runId\":\"" + runId + "\",\"dataset\":\"" + dataset + "\",\"hiddenSizes\":[64,32],\"epochs\":1,"
                + "\"trainLimit\":3000,\"seed\":7,\"percentages\":[" + percentages + "],\"baseline\":" + baseline + "}";
    }
}
